package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;
import io.jobline.api.support.TopicReader;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;

/**
 * The service's own Schema Registry read API, and an analytics consumer that knows nothing of our classes: it reads
 * job-events as bytes and decodes them the way a stock Confluent deserializer does (magic byte, schema id, fetch
 * the writer schema from the registry, Avro binary into generic records).
 */
@ExtendWith(SharedService.class)
class SchemaRegistryIT {

    private static final String REGISTRY = "/schema-registry";
    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldListSubjectsVersionsAndSchemas() {
        Response subjects = client.get(REGISTRY + "/subjects");
        assertThat(subjects.status()).isEqualTo(200);
        assertThat(subjects.header("Content-Type")).startsWith(MEDIA_TYPE);
        assertThat(subjects.json().valueStream().map(n -> n.asString()).toList())
                .containsExactly("api-keys-value", "job-commands-value", "job-events-value", "job-offers-value", "job-types-value",
                "webhook-attempts-value", "webhook-subscriptions-value", "workers-value");

        assertThat(client.get(REGISTRY + "/subjects/job-events-value/versions").text()).isEqualTo("[1,2,3,4,5,6,7,8,9]");
        assertThat(client.get(REGISTRY + "/subjects/api-keys-value/versions").text()).isEqualTo("[1,2]");

        Response version = client.get(REGISTRY + "/subjects/job-events-value/versions/9");
        assertThat(version.json().get("subject").asString()).isEqualTo("job-events-value");
        assertThat(version.json().get("version").asInt()).isEqualTo(9);
        int id = version.json().get("id").asInt();
        Schema schema = new Schema.Parser().parse(version.json().get("schema").asString());
        assertThat(schema.getFullName()).isEqualTo("io.jobline.schemas.event.JobEvent");

        assertThat(client.get(REGISTRY + "/subjects/job-events-value/versions/latest").json().get("id").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(client.get(REGISTRY + "/schemas/ids/" + id).json().get("schema").asString()))
                .isEqualTo(schema);
    }

    @Test
    void shouldAnswerUnknownThingsWithRegistryErrorBodies() {
        assertError(client.get(REGISTRY + "/schemas/ids/999"), 404, 40403);
        assertError(client.get(REGISTRY + "/subjects/nope-value/versions"), 404, 40401);
        assertError(client.get(REGISTRY + "/subjects/job-events-value/versions/99"), 404, 40402);
        assertThat(client.get(REGISTRY + "/subjects/job-events-value/versions/1").json().get("id").asInt())
                .isNotEqualTo(client.get(REGISTRY + "/subjects/job-events-value/versions/2").json().get("id").asInt());
        assertError(client.get(REGISTRY + "/subjects/job-events-value/versions/x"), 422, 42202);
    }

    @Test
    void shouldLetAConsumerDecodeEveryEventThroughTheRegistry() throws Exception {
        String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("completed"));

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(
                SharedService.service().bean(KafkaSettings.class), JobTopics.EVENTS).stream()
                .filter(r -> r.key().equals(id)).toList();

        assertThat(records).isNotEmpty();
        List<String> types = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byte[] bytes = record.value();
            assertThat(bytes[0]).as("magic byte").isZero();
            int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
            Schema writer = new Schema.Parser().parse(client.get(REGISTRY + "/schemas/ids/" + schemaId).json().get("schema").asString());
            byte[] avro = Arrays.copyOfRange(bytes, 5, bytes.length);
            GenericRecord event = new GenericDatumReader<GenericRecord>(writer).read(null, DecoderFactory.get().binaryDecoder(avro, null));
            assertThat(event.get("job_id").toString()).isEqualTo(id);
            types.add(((GenericRecord) event.get("payload")).getSchema().getName());
        }
        assertThat(types).startsWith("JobSubmitted", "JobStarted").endsWith("JobCompleted");
    }

    private static void assertError(Response response, int status, int code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith(MEDIA_TYPE);
        assertThat(response.json().get("error_code").asInt()).isEqualTo(code);
        assertThat(response.json().get("message").asString()).isNotBlank();
    }
}
