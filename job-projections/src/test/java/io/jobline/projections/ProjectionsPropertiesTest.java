package io.jobline.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.KafkaSettings;

/** The standalone projections' settings, bound as their main binds them, from environment variables only. */
class ProjectionsPropertiesTest {

    @Test
    void shouldTakeTheServiceDefaultsWhenOnlyTheClusterIsGiven(@TempDir Path dir) throws Exception {
        ProjectionsProperties properties = bind(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092"));

        assertThat(properties.dataDir().normalize()).isEqualTo(Path.of("data"));
        try (DataDirectory data = DataDirectory.open(dir)) {
            assertThat(properties.kafka().settings(data)).isEqualTo(new KafkaSettings("broker:9092", 6, (short) 0, 30,
                    100, data.root().resolve("streams"), "", data.instanceId(), 0, "exactly_once_v2"));
        }
    }

    @Test
    void shouldReadTheDataFolderAndClusterSettingsFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("projections");
        ProjectionsProperties properties = bind(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "a:9092",
                "JOBLINE_DATA_DIR", dataDir.toString(),
                "JOBLINE_PARTITIONS", "3",
                "JOBLINE_REPLICATION_FACTOR", "1",
                "JOBLINE_PROJECTION_COMMIT_INTERVAL_MS", "250",
                "JOBLINE_SESSION_TIMEOUT_MS", "6000",
                "JOBLINE_PROCESSING_GUARANTEE", "at_least_once",
                "SCHEMA_REGISTRY_URL", "http://registry:8081"));

        assertThat(properties.dataDir()).isEqualTo(dataDir);
        try (DataDirectory data = DataDirectory.open(properties.dataDir())) {
            assertThat(properties.kafka().settings(data)).isEqualTo(new KafkaSettings("a:9092", 3, (short) 1, 30, 250,
                    data.root().resolve("streams"), "http://registry:8081", data.instanceId(), 6000, "at_least_once"));
        }
    }

    @Test
    void shouldRefuseToStartWithoutACluster() {
        assertThatThrownBy(() -> bind(Map.of()))
                .hasStackTraceContaining("Set KAFKA_BOOTSTRAP_SERVERS");
    }

    /** Runs the main's application with only the properties bound, and these as its environment variables. */
    private static ProjectionsProperties bind(Map<String, Object> environmentVariables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environmentVariables));
        SpringApplication application = JobProjectionsMain.application(BindOnly.class);
        application.setEnvironment(environment);
        try (ConfigurableApplicationContext context = application.run()) {
            return context.getBean(ProjectionsProperties.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProjectionsProperties.class)
    static class BindOnly {
    }
}
