package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;
import io.jobline.api.support.TopicReader;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;

/** A record nobody can read goes to the dead-letter topic with the reason in its headers; the rest keeps flowing. */
@ExtendWith(SharedService.class)
class DeadLetterIT {

    private final ServiceClient client = SharedService.client();
    private final KafkaSettings kafka = SharedService.service().bean(KafkaSettings.class);

    @Test
    void shouldSendPoisonRecordsToTheDeadLetterTopicAndKeepProcessing() throws Exception {
        double before = deadLetterMetric();
        String poisonKey = UUID.randomUUID().toString();
        byte[] notAvro = "not avro at all".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(JobTopics.COMMANDS, poisonKey, notAvro)).get();
            producer.send(new ProducerRecord<>(JobTopics.EVENTS, poisonKey, unknownSchema)).get();
        }

        String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 10}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id).get("status").asString().equals("completed"));

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(poisonKey).size() == 2);
        List<ConsumerRecord<String, byte[]>> letters = deadLetters(poisonKey);
        assertThat(letters).extracting(r -> header(r, "__streams.errors.topic"))
                .containsExactlyInAnyOrder(JobTopics.COMMANDS, JobTopics.EVENTS);
        assertThat(letters).allSatisfy(r -> {
            assertThat(header(r, "__streams.errors.exception")).isNotBlank();
            assertThat(header(r, "__streams.errors.message")).isNotBlank();
        });
        assertThat(letters).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(notAvro, unknownSchema);
        assertThat(deadLetterMetric()).isGreaterThanOrEqualTo(before + 2);
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        return TopicReader.readAll(kafka, JobTopics.DEAD_LETTERS).stream().filter(r -> key.equals(r.key())).toList();
    }

    private double deadLetterMetric() {
        return client.get("/actuator/metrics/jobline.dead.letters").json().get("measurements").get(0).get("value").asDouble();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
