package io.jobline.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml is a real deployment, checked without a Docker engine: it parses (with its anchors and merge
 * keys resolved), the brokers form one KRaft quorum that keeps 3 copies and needs 2, every part is configured by
 * environment with what the others need to find it, replicas of a scalable part share no data folder or identity,
 * and the image runs as a user with a health check.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        Map<String, Object> compose = new Yaml(options).load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    private static List<String> named(String prefix) {
        return services.keySet().stream().filter(s -> s.startsWith(prefix)).sorted().toList();
    }

    @Test
    void shouldRunThreeKraftBrokersInOneQuorumKeepingThreeCopiesAndNeedingTwo() {
        assertThat(named("kafka-")).containsExactly("kafka-1", "kafka-2", "kafka-3");
        for (String broker : named("kafka-")) {
            Map<String, Object> env = env(broker);
            assertThat(env.get("KAFKA_NODE_ID")).isEqualTo(Integer.parseInt(broker.substring(6)));
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + broker + ":9092");
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo(3);
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo(2);
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo(2);
            assertThat(services.get(broker).get("volumes")).asList().containsExactly(broker + ":/var/lib/kafka/data");
            assertThat(services.get(broker)).containsKey("healthcheck");
        }
        assertThat(env("kafka-1").get("CLUSTER_ID")).isEqualTo(env("kafka-3").get("CLUSTER_ID"));
    }

    @Test
    void shouldRunTwoApiInstancesThatFindEachOtherBehindALoadBalancer() {
        List<String> apis = named("api-");
        assertThat(apis).containsExactly("api-1", "api-2");
        for (String api : apis) {
            Map<String, Object> env = env(api);
            assertThat(env.get("JOBLINE_ADVERTISED_URL")).isEqualTo("http://" + api + ":8080");
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(env.get("JOBLINE_REPLICATION_FACTOR")).isEqualTo(3);
            assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:8081");
            assertThat(env.get("JOBLINE_FILES_STORE")).as("files every instance and worker reaches").isEqualTo("s3");
            assertThat(String.valueOf(env.get("JOBLINE_SECRETS_KEYS"))).as("the same sealing key everywhere, required")
                    .startsWith("${JOBLINE_SECRETS_KEYS:?");
            assertThat(services.get(api).get("volumes")).asList().containsExactly(api + ":/data/api");
        }
        assertThat(env("api-1").get("JOBLINE_SECRETS_KEYS")).isEqualTo(env("api-2").get("JOBLINE_SECRETS_KEYS"));
        assertThat(String.valueOf(services.get("schema-registry").get("image"))).startsWith("confluentinc/cp-schema-registry:");
        assertThat(services.get("lb").get("ports")).asList().containsExactly("8080:8080");
        String nginx = read("deploy/nginx.conf");
        assertThat(nginx).contains("server api-1:8080", "server api-2:8080", "proxy_set_header Upgrade $http_upgrade");
    }

    @Test
    void shouldLetTheProcessorsScaleWithoutSharingADataFolderOrAnIdentity() {
        Map<String, Object> processor = services.get("processor");
        assertThat(processor).doesNotContainKeys("container_name", "volumes", "ports");
        assertThat(env("processor")).doesNotContainKey("JOBLINE_WORKER_ID");
        assertThat(String.valueOf(env("processor").get("JOBLINE_DATA_DIR"))).startsWith("/tmp/");
        assertThat(processor.get("deploy")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("replicas", 2);
        assertThat(String.join(" ", entrypoint(processor))).contains("io.jobline.processor.JobProcessorMain");
    }

    @Test
    void shouldGiveEveryLongRunningServiceAHealthCheckAndRunTheImageAsAUser() {
        List<String> unchecked = services.entrySet().stream()
                .filter(e -> !e.getKey().equals("minio-bucket") && !e.getValue().containsKey("healthcheck")
                        && !e.getValue().containsKey("build"))
                .map(Map.Entry::getKey).collect(Collectors.toList());
        assertThat(unchecked).as("services without a health check (the image's own counts for built ones)").isEmpty();
        String dockerfile = read("Dockerfile");
        assertThat(dockerfile).contains("USER 10001", "HEALTHCHECK", "/actuator/health/readiness");
    }

    @SuppressWarnings("unchecked")
    private static List<String> entrypoint(Map<String, Object> service) {
        return (List<String>) service.get("entrypoint");
    }

    private static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
