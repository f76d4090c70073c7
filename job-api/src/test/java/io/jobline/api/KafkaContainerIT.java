package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;

/**
 * The same code against an external Apache Kafka broker in a container (KAFKA_BOOTSTRAP_SERVERS set: no embedded
 * broker). Skipped where no Docker engine runs; the in-process broker ITs cover the same behaviour there.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @TempDir
    Path dataDir;

    @Test
    void shouldRunAJobAgainstAnExternalBroker() {
        try (RunningService service = RunningService.start(dataDir, Map.of(
                "jobline.kafka.bootstrap-servers", KAFKA.getBootstrapServers()))) {
            ServiceClient client = service.client();
            String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 100}");

            await().atMost(Duration.ofSeconds(120)).until(() -> client.job(id).get("status").asString().equals("completed"));

            assertThat(client.get("/actuator/health").json().get("components").get("kafka").get("details")
                    .get("embedded").asBoolean()).isFalse();
        }
    }
}
