package io.jobline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import io.jobline.core.files.FileStoreSettings;
import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.KafkaSettings;
import io.jobline.processor.jobtype.csv.CsvLimits;

/** The standalone processor's settings, bound as its main binds them, from environment variables only. */
class ProcessorPropertiesTest {

    @Test
    void shouldTakeTheServiceDefaultsWhenOnlyTheClusterIsGiven(@TempDir Path dir) throws Exception {
        ProcessorProperties properties = bind(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092"));

        assertThat(properties.dataDir().normalize()).isEqualTo(Path.of("data"));
        assertThat(properties.processor().concurrency()).isEqualTo(4);
        assertThat(properties.jobTypes().path()).isEmpty();
        assertThat(properties.csv().limits()).isEqualTo(CsvLimits.DEFAULTS);
        assertThat(properties.files().store()).isEqualTo(FileStoreSettings.Kind.LOCAL);
        try (DataDirectory data = DataDirectory.open(dir)) {
            assertThat(properties.filesDir(data)).isEqualTo(data.root().resolve("files"));
            assertThat(properties.processor().workerId(data)).isEqualTo(data.instanceId());
            KafkaSettings kafka = properties.kafka().settings(data);
            assertThat(kafka).isEqualTo(new KafkaSettings("broker:9092", 6, (short) 0, 30, 100,
                    data.root().resolve("streams"), "", data.instanceId(), 0, "exactly_once_v2"));
        }
    }

    @Test
    void shouldReadEveryDocumentedEnvironmentVariable(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("processor");
        ProcessorProperties properties = bind(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "a:9092,b:9092"),
                Map.entry("JOBLINE_DATA_DIR", dataDir.toString()),
                Map.entry("JOBLINE_FILES_DIR", "/shared/files"),
                Map.entry("JOBLINE_WORKER_ID", "worker-7"),
                Map.entry("JOBLINE_PROCESSOR_CONCURRENCY", "8"),
                Map.entry("JOBLINE_PARTITIONS", "12"),
                Map.entry("JOBLINE_REPLICATION_FACTOR", "3"),
                Map.entry("JOBLINE_DECIDER_COMMIT_INTERVAL_MS", "100"),
                Map.entry("JOBLINE_PROJECTION_COMMIT_INTERVAL_MS", "200"),
                Map.entry("JOBLINE_SESSION_TIMEOUT_MS", "6000"),
                Map.entry("JOBLINE_PROCESSING_GUARANTEE", "at_least_once"),
                Map.entry("SCHEMA_REGISTRY_URL", "http://registry:8081"),
                Map.entry("JOBLINE_JOB_TYPES_PATH", "/opt/types/a.jar, /opt/more-types"),
                Map.entry("JOBLINE_CSV_MAX_COLUMNS", "10"),
                Map.entry("JOBLINE_CSV_MAX_RECORD_CHARS", "500"),
                Map.entry("JOBLINE_CSV_MAX_KEPT_CHARS", "9000"),
                Map.entry("JOBLINE_FILES_STORE", "s3"),
                Map.entry("JOBLINE_FILES_CACHE_MAX_SIZE", "1GB"),
                Map.entry("JOBLINE_S3_BUCKET", "jobs"),
                Map.entry("JOBLINE_S3_PREFIX", "/prod"),
                Map.entry("JOBLINE_S3_ENDPOINT", "http://minio:9000"),
                Map.entry("JOBLINE_S3_PUBLIC_ENDPOINT", "https://files.example.com"),
                Map.entry("JOBLINE_S3_REGION", "eu-west-1"),
                Map.entry("JOBLINE_S3_PATH_STYLE", "true"),
                Map.entry("JOBLINE_S3_ACCESS_KEY_ID", "id"),
                Map.entry("JOBLINE_S3_SECRET_ACCESS_KEY", "secret"),
                Map.entry("JOBLINE_S3_PART_SIZE", "16MB"),
                Map.entry("JOBLINE_S3_PRESIGN_EXPIRY", "1h")));

        assertThat(properties.dataDir()).isEqualTo(dataDir);
        assertThat(properties.processor().concurrency()).isEqualTo(8);
        assertThat(properties.jobTypes().path()).containsExactly(Path.of("/opt/types/a.jar"), Path.of("/opt/more-types"));
        assertThat(properties.csv().limits()).isEqualTo(new CsvLimits(10, 500, 500, 9000));
        assertThat(properties.files()).isEqualTo(new FileStoreSettings(FileStoreSettings.Kind.S3, new FileStoreSettings.S3(
                "jobs", "prod/", "http://minio:9000", "https://files.example.com", "eu-west-1", true, "id", "secret",
                DataSize.ofMegabytes(16), Duration.ofHours(1)), DataSize.ofGigabytes(1)));
        assertThat(properties.files().s3().toString()).doesNotContain("secret");
        try (DataDirectory data = DataDirectory.open(properties.dataDir())) {
            assertThat(properties.filesDir(data)).isEqualTo(Path.of("/shared/files"));
            assertThat(properties.processor().workerId(data)).isEqualTo("worker-7");
            assertThat(properties.kafka().settings(data)).isEqualTo(new KafkaSettings("a:9092,b:9092", 12, (short) 3,
                    100, 200, data.root().resolve("streams"), "http://registry:8081", data.instanceId(), 6000,
                    "at_least_once"));
        }
    }

    @Test
    void shouldPassKafkaClientSettingsFromAFileAndFromVariablesToEveryClient(@TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("client.properties"),
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nbasic.auth.user.info=reg:pw\n");
        ProcessorProperties properties = bind(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "JOBLINE_DATA_DIR", dir.resolve("data").toString(),
                "JOBLINE_KAFKA_CLIENT_CONFIG", file.toString(),
                "JOBLINE_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN"));

        try (DataDirectory data = DataDirectory.open(properties.dataDir())) {
            KafkaSettings kafka = properties.kafka().settings(data);
            assertThat(kafka.clientConfig()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "PLAIN").containsEntry("bootstrap.servers", "broker:9092");
            assertThat(kafka.client().registry()).containsEntry("basic.auth.user.info", "reg:pw");
        }
    }

    @Test
    void shouldRefuseToStartWithoutACluster() {
        assertThatThrownBy(() -> bind(Map.of("JOBLINE_PARTITIONS", "3")))
                .hasStackTraceContaining("Set KAFKA_BOOTSTRAP_SERVERS");
    }

    /** Runs the main's application with only the properties bound, and these as its environment variables. */
    private static ProcessorProperties bind(Map<String, Object> environmentVariables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environmentVariables));
        SpringApplication application = JobProcessorMain.application(BindOnly.class);
        application.setEnvironment(environment);
        try (ConfigurableApplicationContext context = application.run()) {
            return context.getBean(ProcessorProperties.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProcessorProperties.class)
    static class BindOnly {
    }
}
