package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.testing.MotoS3;
import tools.jackson.databind.JsonNode;

/**
 * A 512 MiB upload, made by a generator as it is sent, goes through a service whose heap is 256 MB: the service
 * streams it to S3 in parts (Tomcat spools the multipart body to disk, the store sends one 8 MiB part at a time).
 */
class S3LargeUploadIT {

    private static final long SIZE = 512L * 1024 * 1024;
    private static final String MAX_HEAP = "-Xmx256m";

    @TempDir
    static Path dir;
    private static MotoS3 moto;
    private static String bucket;
    private static ChildService service;

    @BeforeAll
    static void start() {
        moto = MotoS3.startOrSkip();
        bucket = moto.createBucket();
        Map<String, String> properties = new HashMap<>(moto.properties(bucket, ""));
        properties.put("jobline.processor.concurrency", "0");
        properties.put("jobline.kafka.partitions", "1");
        properties.put("spring.servlet.multipart.max-file-size", "2GB");
        properties.put("spring.servlet.multipart.max-request-size", "2GB");
        service = new ChildService(dir, properties, MAX_HEAP).start();
        await("service healthy").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> service.client().get("/actuator/health").status() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void shouldStreamAnUploadTwiceTheHeapToTheBucketWithABoundedHeap() throws Exception {
        ServiceClient client = service.client();
        assertThat(client.send("/api/job-types/big-upload", "PUT", "application/json", "{\"stages\": [\"read\"]}").status()).isIn(200, 201);
        long before = heapUsed(client);
        AtomicLong peak = new AtomicLong(before);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(heapUsed(client), Math::max), 0, 200, TimeUnit.MILLISECONDS);

        long started = System.nanoTime();
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newHttpClient().send(multipart(client.baseUrl()), HttpResponse.BodyHandlers.ofString());
        } finally {
            sampler.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(answer.statusCode()).as(answer.body() + "\n" + String.join("\n", service.logTail(30))).isEqualTo(202);
        JsonNode job = client.job(tools.jackson.databind.json.JsonMapper.builder().build().readTree(answer.body()).get("job_id").asString());
        assertThat(job.get("files").get(0).get("size").asLong()).isEqualTo(SIZE);
        List<String> keys = moto.keys(bucket, "jobs/" + job.get("job_id").asString() + "/inputs/");
        assertThat(keys).singleElement().asString().endsWith("/big.bin");
        System.out.printf("512 MiB upload to S3: %.1f s, heap used %d MB before, peak %d MB while uploading (%s)%n",
                seconds, before >> 20, peak.get() >> 20, MAX_HEAP);
        assertThat(peak.get()).as("heap peak while uploading").isLessThan(256L << 20);
    }

    private static HttpRequest multipart(String baseUrl) {
        String boundary = "----jobline-large";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nbig-upload\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs"))
                .timeout(Duration.ofMinutes(3))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                        new ByteArrayInputStream(head), new Generated(SIZE), new ByteArrayInputStream(tail))))))
                .build();
    }

    private static long heapUsed(ServiceClient client) {
        try {
            return (long) client.get("/actuator/metrics/jvm.memory.used?tag=area:heap").json()
                    .get("measurements").get(0).get("value").asDouble();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** {@code size} bytes that never contain the multipart boundary, made as they are read. */
    private static final class Generated extends InputStream {

        private final long size;
        private long position;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? 'a' + (int) (position++ % 26) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ('a' + (position++ % 26));
            }
            return n;
        }
    }
}
