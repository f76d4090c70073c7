package io.jobline.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.jobline.core.files.FileStoreSettings;

/**
 * A real S3 API on loopback for tests: moto's server ({@code pip install 'moto[server]'}), started as a child process
 * on a free port. A test that needs it is skipped, saying why, when it cannot be started (no python3, no moto).
 */
public final class MotoS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoS3(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts moto's server, or skips the calling test (a JUnit assumption) when it cannot. */
    public static MotoS3 startOrSkip() {
        int port = freePort();
        File log;
        Process process;
        try {
            log = Files.createTempFile("moto-", ".log").toFile();
            process = new ProcessBuilder(List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(log).start();
        } catch (IOException e) {
            unavailable("No S3 server for this test: python3 could not be started (" + e.getMessage()
                    + "); install moto's server with: pip install 'moto[server]'");
            throw new AssertionError(e);
        }
        MotoS3 moto = new MotoS3(process, "http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!moto.answers()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                String output = read(log.toPath());
                unavailable("No S3 server for this test: moto's server did not start (install it with:"
                        + " pip install 'moto[server]'). Its output: " + output);
            }
            pause();
        }
        return moto;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Creates a bucket with a fresh name and returns it. */
    public String createBucket() {
        String bucket = "jobline-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Could not create bucket " + bucket + ": " + answer.statusCode() + " " + answer.body());
        }
        return bucket;
    }

    /** The store settings for {@code bucket}, path style with explicit credentials. */
    public FileStoreSettings settings(String bucket, String prefix) {
        return new FileStoreSettings(FileStoreSettings.Kind.S3, new FileStoreSettings.S3(bucket, prefix, endpoint, null,
                REGION, true, ACCESS_KEY, SECRET_KEY, null, null), null);
    }

    /** The same settings as Spring Boot properties, for a service under test. */
    public Map<String, String> properties(String bucket, String prefix) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jobline.files.store", "s3");
        properties.put("jobline.files.s3.bucket", bucket);
        properties.put("jobline.files.s3.prefix", prefix);
        properties.put("jobline.files.s3.endpoint", endpoint);
        properties.put("jobline.files.s3.region", REGION);
        properties.put("jobline.files.s3.path-style", "true");
        properties.put("jobline.files.s3.access-key-id", ACCESS_KEY);
        properties.put("jobline.files.s3.secret-access-key", SECRET_KEY);
        return properties;
    }

    /** The keys of the objects under {@code prefix} in {@code bucket}, read through the S3 API. */
    public List<String> keys(String bucket, String prefix) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
        }
    }

    /** How many multipart uploads are unfinished under {@code prefix} in {@code bucket}. */
    public int multipartUploads(String bucket, String prefix) {
        try (S3Client s3 = client()) {
            return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().size();
        }
    }

    private S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
    }

    private boolean answers() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100); // polling a child process's port: nothing to await on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Skips the test where moto cannot run; fails it under CI=true, where .ci/run installs it. */
    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why);
    }
}
