package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildProcessor;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.testing.MotoS3;
import tools.jackson.databind.JsonNode;

/**
 * The service on an S3 file store (moto's server on loopback), with its processor apart in another JVM (the
 * deployment a shared store is for: neither reads the other's disk): uploads land in the bucket, the processor runs
 * csv-report on them, downloads are redirected to presigned URLs (Range included), an external worker fetches its
 * input and stores its artifact by presigned URL, and a deleted job's objects go, by hand or by retention.
 */
class S3FilesIT {

    private static final String PREFIX = "it/";
    private static final String CSV = "region,amount\nnorth,10\nsouth,20\n";

    @TempDir
    static Path dir;
    private static MotoS3 moto;
    private static String bucket;
    private static RunningService service;
    private static ChildProcessor processor;
    private static ServiceClient client;
    private static final HttpClient plain = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        moto = MotoS3.startOrSkip();
        bucket = moto.createBucket();
        Map<String, Object> properties = new HashMap<>(moto.properties(bucket, PREFIX));
        properties.put("jobline.processor.enabled", false);
        service = RunningService.start(dir.resolve("service"), properties);
        client = service.client();
        Map<String, String> env = new HashMap<>();
        moto.properties(bucket, PREFIX).forEach((name, value) ->
                env.put(name.replace("jobline.files.s3.", "JOBLINE_S3_").replace("jobline.files.", "JOBLINE_FILES_")
                        .replace('-', '_').toUpperCase(java.util.Locale.ROOT), value));
        processor = new ChildProcessor(service.bean(KafkaSettings.class).bootstrapServers(), dir.resolve("processor"),
                dir.resolve("no-local-files"), 3, 2, env).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (processor != null) {
            processor.close();
        }
        if (service != null) {
            service.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void shouldStoreAnUploadInTheBucketAndRedirectDownloadsToAPresignedUrl() throws Exception {
        String id = submitCsv("csv-report", "{}");

        assertThat(moto.keys(bucket, PREFIX + "jobs/" + id + "/inputs/")).singleElement().asString().endsWith("/sales.csv");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(moto.keys(bucket, PREFIX + "jobs/" + id + "/artifacts/")).singleElement().asString().endsWith("/report.json");

        Response redirect = client.get("/api/jobs/" + id + "/artifacts/sales.csv");
        assertThat(redirect.status()).isEqualTo(307);
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");
        URI presigned = URI.create(redirect.header("Location"));
        assertThat(presigned.getRawQuery()).contains("X-Amz-Signature=", "response-content-disposition=attachment");
        HttpResponse<String> whole = plain.send(HttpRequest.newBuilder(presigned).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(CSV);

        HttpResponse<Void> head = plain.send(HttpRequest.newBuilder(URI.create(client.baseUrl() + "/api/jobs/" + id
                + "/artifacts/sales.csv")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).as("HEAD answered by the service: a presigned GET would refuse it").isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(CSV.length()));

        JsonNode report = client.get("/api/jobs/" + id + "/result").json();
        assertThat(report.get("result").get("rows").asInt()).as(report.toString()).isEqualTo(2);
        HttpResponse<String> reportFile = followingRedirects().send(HttpRequest.newBuilder(
                URI.create(client.baseUrl() + "/api/jobs/" + id + "/artifacts/report.json")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reportFile.statusCode()).isEqualTo(200);
        assertThat(reportFile.body()).contains("\"rows\"");
    }

    @Test
    void shouldServeARangeThroughTheRedirect() throws Exception {
        String id = submitCsv("csv-report", "{}");

        HttpResponse<String> range = followingRedirects().send(HttpRequest.newBuilder(
                        URI.create(client.baseUrl() + "/api/jobs/" + id + "/artifacts/sales.csv")).header("Range", "bytes=7-12").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(CSV.substring(7, 13));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 7-12/" + CSV.length());
    }

    @Test
    void shouldLetAnExternalWorkerDownloadItsInputAndUploadAnArtifactByPresignedUrl() throws Exception {
        assertThat(client.send("/api/job-types/s3-echo", "PUT", "application/json", "{\"stages\": [\"echo\"]}").status()).isIn(200, 201);
        String id = submitCsv("s3-echo", "{}");

        JsonNode task = client.postJson("/api/workers/poll", "{\"worker_id\": \"s3-worker/1\", \"types\": [\"s3-echo\"], \"wait_ms\": 20000}").json();
        assertThat(task.get("job_id").asString()).isEqualTo(id);
        JsonNode file = task.get("files").get(0);
        assertThat(file.get("url").asString()).isEqualTo("/api/jobs/" + id + "/artifacts/sales.csv");
        HttpResponse<String> input = plain.send(HttpRequest.newBuilder(URI.create(file.get("download_url").asString())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(input.statusCode()).as("a presigned GET, no key needed").isEqualTo(200);
        assertThat(input.body()).isEqualTo(CSV);

        String attempt = "/api/jobs/" + id + "/attempts/" + task.get("attempt").asInt();
        JsonNode upload = client.postJson(attempt + "/artifacts/upper.csv/upload-url", "{\"content_type\": \"text/csv\"}").json();
        assertThat(upload.get("presigned").asBoolean()).isTrue();
        assertThat(upload.get("method").asString()).isEqualTo("PUT");
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofString(CSV.toUpperCase()));
        upload.get("headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asString()));
        assertThat(plain.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(client.postJson(attempt + "/complete", "{\"result\": {\"ok\": true}}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        JsonNode artifact = client.job(id).get("artifacts").get(0);
        assertThat(artifact.get("name").asString()).isEqualTo("upper.csv");
        assertThat(artifact.get("size").asLong()).isEqualTo(CSV.length());
        HttpResponse<String> download = followingRedirects().send(HttpRequest.newBuilder(URI.create(client.baseUrl()
                + artifact.get("url").asString())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.body()).isEqualTo(CSV.toUpperCase());
    }

    @Test
    void shouldDeleteTheObjectsOfADeletedJob() {
        String id = submitCsv("csv-report", "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(moto.keys(bucket, PREFIX + "jobs/" + id + "/")).hasSize(2);

        assertThat(client.delete("/api/jobs/" + id).status()).isIn(200, 202, 204);

        await().atMost(Duration.ofSeconds(20)).until(() -> moto.keys(bucket, PREFIX + "jobs/" + id + "/").isEmpty());
    }

    @Test
    void shouldDeleteTheObjectsOfJobsRetentionRemoves() {
        String id = submitCsv("csv-report", "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id).get("status").asString().equals("completed"));

        Response cleanup = client.post("/api/jobs/cleanup?days=0");
        assertThat(cleanup.status()).as(cleanup.toString()).isEqualTo(200);
        assertThat(cleanup.text()).contains(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> moto.keys(bucket, PREFIX + "jobs/" + id + "/").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/api/jobs/" + id).status() == 404);
    }

    private static String submitCsv(String type, String input) {
        Response accepted = client.postMultipart("/api/jobs", Map.of("type", type, "input", input),
                Map.of("sales.csv", CSV.getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.json().get("job_id").asString();
    }

    private static HttpClient followingRedirects() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    }
}
