package io.jobline.api.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;

/**
 * A cluster that wants SASL: the broker's client listener takes only authenticated clients (PLAIN here; SCRAM,
 * OAUTHBEARER and mTLS are more of the same client settings). The service is given the client settings in a
 * properties file and one more inline, and every Kafka client it has (admin, producers, Streams, the job types'
 * consumer, the offer lanes' share consumers) connects with them: a job runs in-process, another through an
 * external worker's poll.
 */
class KafkaClientSecurityIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required";

    @TempDir
    Path brokerDir;

    @TempDir
    Path serviceDir;

    @Test
    void shouldRunJobsOnAClusterThatTakesOnlyAuthenticatedClients() throws Exception {
        int saslPort = EmbeddedKafkaBroker.freePort();
        String sasl = "127.0.0.1:" + saslPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir, 0, props -> withSaslListener(props, saslPort))) {
            assertThatThrownBy(() -> describeCluster(sasl, "wrong")).as("the listener checks credentials")
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
            Path clientConfig = Files.writeString(serviceDir.resolve("client.properties"),
                    "security.protocol=SASL_PLAINTEXT\nsasl.jaas.config=" + JAAS + " username=\"jobline\" password=\"s3cret\";\n");

            try (RunningService service = RunningService.start(serviceDir.resolve("data"), Map.of(
                    "jobline.kafka.bootstrap-servers", sasl,
                    "jobline.kafka.client-config", clientConfig.toString(),
                    "jobline.kafka.client.sasl.mechanism", "PLAIN",
                    "jobline.processor.concurrency", 1))) {
                ServiceClient client = service.client();
                String inProcess = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 10}");
                await().atMost(Duration.ofSeconds(60)).until(() -> client.job(inProcess).get("status").asString().equals("completed"));

                assertThat(client.send("/api/job-types/secured", "PUT", "application/json", "{\"stages\": [\"only\"]}")
                        .status()).isEqualTo(201);
                String external = client.submit("secured", "{}");
                var task = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": [\"secured\"], \"wait_ms\": 20000}");
                assertThat(task.status()).as(task.text()).isEqualTo(200);
                assertThat(task.json().get("job_id").asString()).isEqualTo(external);
                assertThat(client.postJson("/api/jobs/" + external + "/attempts/1/complete", "{}").status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> client.job(external).get("status").asString().equals("completed"));
                assertThat(client.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
            }
        }
    }

    /** Adds a SASL_PLAINTEXT listener with one user, beside the PLAINTEXT one the broker is told ready on. */
    private static void withSaslListener(Map<String, Object> props, int port) {
        String listener = "SASL_PLAINTEXT://127.0.0.1:" + port;
        props.put("listeners", props.get("listeners") + "," + listener);
        props.put("advertised.listeners", props.get("advertised.listeners") + "," + listener);
        props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS + " user_jobline=\"s3cret\";");
    }

    private static void describeCluster(String bootstrap, String password) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", JAAS + " username=\"jobline\" password=\"" + password + "\";",
                "default.api.timeout.ms", 10_000, "request.timeout.ms", 5_000))) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
        }
    }
}
