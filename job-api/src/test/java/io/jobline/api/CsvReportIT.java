package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SharedService;
import tools.jackson.databind.JsonNode;

/** csv-report submitted as multipart/form-data with a file; its report fetched as result and as artifact. */
@ExtendWith(SharedService.class)
class CsvReportIT {

    private static final String CSV = "region,amount,closed\nnorth,10,true\nsouth,20.5,false\nnorth,30,true\n";

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldProfileAnUploadedCsvAndServeTheReport() {
        Response accepted = client.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("sales.csv", CSV.getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String id = accepted.json().get("job_id").asString();

        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("completed"));

        JsonNode result = client.get("/api/jobs/" + id + "/result").json();
        JsonNode report = result.get("result");
        assertThat(report.get("rows").asInt()).isEqualTo(3);
        JsonNode amount = report.get("columns").get(1);
        assertThat(amount.get("name").asString()).isEqualTo("amount");
        assertThat(amount.get("type").asString()).isEqualTo("number");
        assertThat(amount.get("mean").asDouble()).isEqualTo(20.166666666666668);
        assertThat(report.get("columns").get(0).get("top_values").get(0).get("value").asString()).isEqualTo("north");
        assertThat(result.get("artifacts").findValuesAsString("name")).containsExactly("report.json");

        JsonNode job = client.job(id);
        assertThat(job.get("files").get(0).get("name").asString()).isEqualTo("sales.csv");
        assertThat(job.get("files").get(0).get("size").asLong()).isEqualTo(CSV.length());
        String reportUrl = job.get("artifacts").get(0).get("url").asString();
        Response download = client.get(reportUrl);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.json()).isEqualTo(report);
    }

    @Test
    void shouldServeByteRangesOfAJobFile() {
        Response accepted = client.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("ranges.csv", CSV.getBytes(StandardCharsets.UTF_8)));
        String id = accepted.json().get("job_id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/api/jobs/" + id).status() == 200);

        Response whole = client.get("/api/jobs/" + id + "/artifacts/ranges.csv");
        Response part = client.get("/api/jobs/" + id + "/artifacts/ranges.csv", Map.of("Range", "bytes=7-12"));

        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.text()).isEqualTo(CSV);
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.header("Content-Disposition")).as("from the local store, a download, never a page")
                .isEqualTo("attachment; filename=\"ranges.csv\"");
        assertThat(whole.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(whole.header("Content-Type")).startsWith("text/csv");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.text()).isEqualTo(CSV.substring(7, 13));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 7-12/" + CSV.length());
        assertThat(client.get("/api/jobs/" + id + "/artifacts/other.csv").status()).isEqualTo(404);
    }

    @Test
    void shouldFailAMalformedCsvWithItsLineNumber() {
        String bad = "a,b\n1,2\n3,4,5\n";
        String id = client.postMultipart("/api/jobs", Map.of("type", "csv-report", "input", "{\"header\": true}"),
                Map.of("bad.csv", bad.getBytes(StandardCharsets.UTF_8))).json().get("job_id").asString();

        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("failed"));

        assertThat(client.job(id).get("error").asString()).contains("line 3").contains("expected 2 fields but found 3");
    }

    @Test
    void shouldFailAFileWiderThanTheColumnLimitAtOnceAndKeepServing() {
        String wide = ",".repeat(250_000) + "\n";
        String id = client.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("wide.csv", wide.getBytes(StandardCharsets.UTF_8))).json().get("job_id").asString();

        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("failed"));

        JsonNode job = client.job(id);
        assertThat(job.get("error").asString()).contains("column limit", "line 1", "1000 columns");
        assertThat(job.get("attempt").asInt()).as("csv-report allows 3 attempts; a limit is not worth retrying").isEqualTo(1);
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(client.get("/api/jobs/" + id + "/result").status()).isEqualTo(409);
    }
}
