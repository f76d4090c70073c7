package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SharedService;
import io.jobline.api.support.TopicReader;
import io.jobline.processor.system.KafkaSettings;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.topic.JobTopics;

/** Bad requests get a 4xx problem+json that says what is wrong, and nothing is appended. */
@ExtendWith(SharedService.class)
class BadRequestIT {

    private final ServiceClient client = SharedService.client();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"type\": \"nope\"}|400|Unknown job type 'nope'",
            "{\"input\": {}}|400|'type' is required",
            "{\"type\": 5}|400|'type' is required",
            "{\"type\": \"demo\", \"input\": [1]}|400|'input' must be a JSON object",
            "{\"type\": \"demo\", \"input\": {\"stages\": 0}}|400|'stages' must be an integer from 1 to 100",
            "{\"type\": \"demo\", \"input\": {\"colour\": \"red\"}}|400|unknown field 'colour'",
            "{\"type\": \"demo\", \"extra\": 1}|400|Unknown field 'extra'",
            "{\"type\": \"csv-report\"}|400|exactly one uploaded CSV file",
            "{\"type\": \"demo\"|400|not valid JSON",
            "[]|400|must be a JSON object"})
    void shouldRejectABadSubmitWithAProblemAndAppendNothing(String body, int status, String detail) {
        long before = appended();

        Response response = client.postJson("/api/jobs", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().path("detail").asString()).contains(detail);
        assertThat(appended()).isEqualTo(before);
    }

    @Test
    void shouldRejectAnUnsupportedContentType() {
        Response response = client.post("/api/jobs", "text/plain", "type=demo");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void shouldRejectAMultipartSubmitWithoutTypeOrWithBadInputJson() {
        assertThat(client.postMultipart("/api/jobs", Map.of("input", "{}"), Map.of()).status()).isEqualTo(400);
        Response badJson = client.postMultipart("/api/jobs", Map.of("type", "demo", "input", "{oops"), Map.of());
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("detail").asString()).contains("not valid JSON");
        assertThat(client.postMultipart("/api/jobs", Map.of("type", "csv-report"), Map.of()).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource({"/api/jobs/not-a-uuid", "/api/jobs/not-a-uuid/result", "/api/jobs/123/events"})
    void shouldAnswer400ForIdsThatAreNotUuids(String path) {
        Response response = client.get(path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("not a UUID");
    }

    @Test
    void shouldAnswer404ForAnUnknownJobEverywhere() {
        String id = UUID.randomUUID().toString();
        for (Response response : new Response[] {client.get("/api/jobs/" + id), client.get("/api/jobs/" + id + "/result"),
                client.get("/api/jobs/" + id + "/events"), client.postJson("/api/jobs/" + id + "/cancel", ""),
                client.delete("/api/jobs/" + id), client.get("/api/jobs/" + id + "/artifacts/x.csv")}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
        }
    }

    @ParameterizedTest
    @CsvSource({"status=sleeping", "limit=0", "limit=5000", "offset=-1", "limit=abc"})
    void shouldRejectBadListParameters(String query) {
        Response response = client.get("/api/jobs?" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    /** SubmitJob commands on job-commands so far, read from the broker. */
    private static long appended() {
        JobTopics topics = SharedService.service().bean(JobTopics.class);
        return TopicReader.readAll(SharedService.service().bean(KafkaSettings.class), JobTopics.COMMANDS).stream()
                .map(r -> topics.commands().valueSerde().deserializer().deserialize(JobTopics.COMMANDS, r.value()))
                .filter(c -> c.getPayload() instanceof SubmitJob)
                .count();
    }
}
