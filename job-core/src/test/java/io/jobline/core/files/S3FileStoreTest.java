package io.jobline.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import io.jobline.core.testing.MotoS3;
import io.jobline.worker.StoredFile;

/** The S3 store against a real S3 API on loopback (moto's server). */
class S3FileStoreTest {

    private static MotoS3 moto;
    private static String bucket;

    @TempDir
    Path data;

    @BeforeAll
    static void startS3() {
        moto = MotoS3.startOrSkip();
        bucket = moto.createBucket();
    }

    @AfterAll
    static void stopS3() throws InterruptedException {
        if (moto != null) {
            moto.close();
        }
    }

    private FileStore store() throws IOException {
        FileStoreSettings.S3 s3 = moto.settings(bucket, "tenant-a/").s3();
        FileStoreSettings fiveMbParts = new FileStoreSettings(FileStoreSettings.Kind.S3, new FileStoreSettings.S3(s3.bucket(),
                s3.prefix(), s3.endpoint(), null, s3.region(), true, s3.accessKeyId(), s3.secretAccessKey(),
                DataSize.ofMegabytes(5), null), DataSize.ofMegabytes(20));
        return fiveMbParts.open(data.resolve("files"), data.resolve("files-cache"));
    }

    @Test
    void shouldStoreASmallFileAsOneObjectUnderThePrefixAndReadItBack() throws Exception {
        try (FileStore store = store()) {
            StoredFile saved = store.save("job-1", FileStore.INPUTS + "/r1", "sales.csv", "text/csv", text("a,b\n1,2\n"));

            assertThat(saved.key()).isEqualTo("jobs/job-1/inputs/r1/sales.csv");
            assertThat(saved.size()).isEqualTo(8);
            try (InputStream in = store.open(saved)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
            }
            assertThat(store.downloadUrl(saved, "text/csv", "attachment").orElseThrow().url().getPath())
                    .isEqualTo("/" + bucket + "/tenant-a/jobs/job-1/inputs/r1/sales.csv");
            assertThat(store.list("job-1", FileStore.INPUTS + "/r1")).extracting(StoredFile::name, StoredFile::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("sales.csv", 8L));
        }
    }

    @Test
    void shouldStreamALargeFileInPartsAndKeepEveryByte() throws Exception {
        long size = 12 * 1024 * 1024 + 123; // three parts of 5 MB, the last short
        try (FileStore store = store()) {
            StoredFile saved = store.save("job-2", FileStore.ARTIFACTS, "big.bin", "application/octet-stream", new Generated(size));

            assertThat(saved.size()).isEqualTo(size);
            try (InputStream in = store.open(saved)) {
                assertThat(sha256(in)).isEqualTo(sha256(new Generated(size)));
            }
            Path local = store.path(saved);
            assertThat(Files.size(local)).isEqualTo(size);
            assertThat(local).startsWith(data.resolve("files-cache"));
        }
    }

    @Test
    void shouldStoreAnEmptyFileAndAFileOfExactlyOnePart() throws Exception {
        long part = 5 * 1024 * 1024;
        try (FileStore store = store()) {
            StoredFile empty = store.save("job-6", FileStore.INPUTS + "/r1", "empty.txt", "text/plain", new Generated(0));
            StoredFile onePart = store.save("job-6", FileStore.INPUTS + "/r1", "one-part.bin", "application/octet-stream",
                    new Generated(part));

            assertThat(store.list("job-6", FileStore.INPUTS + "/r1")).extracting(StoredFile::name, StoredFile::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("empty.txt", 0L),
                            org.assertj.core.groups.Tuple.tuple("one-part.bin", part));
            try (InputStream in = store.open(onePart)) {
                assertThat(sha256(in)).isEqualTo(sha256(new Generated(part)));
            }
            assertThat(empty.size()).isZero();
        }
    }

    @Test
    void shouldAbortTheMultipartUploadWhenTheContentFailsHalfWay() throws Exception {
        long size = 8 * 1024 * 1024;
        InputStream failing = new java.io.SequenceInputStream(new Generated(size), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        });
        try (FileStore store = store()) {
            assertThatThrownBy(() -> store.save("job-7", FileStore.INPUTS + "/r1", "cut.bin", "application/octet-stream", failing))
                    .isInstanceOf(IOException.class).hasMessageContaining("client went away");

            assertThat(store.list("job-7", FileStore.INPUTS + "/r1")).isEmpty();
            assertThat(moto.multipartUploads(bucket, "tenant-a/jobs/job-7/")).as("no parts left behind").isZero();
        }
    }

    @Test
    void shouldHandOutAPresignedGetThatServesRangesWithTheGivenHeaders() throws Exception {
        try (FileStore store = store()) {
            StoredFile saved = store.save("job-3", FileStore.ARTIFACTS, "report.txt", "text/plain", text("0123456789"));
            SignedUrl url = store.downloadUrl(saved, "text/plain", "attachment; filename=\"report.txt\"").orElseThrow();

            HttpResponse<String> whole = get(url.url().toString());
            HttpResponse<String> range = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.url())
                    .header("Range", "bytes=2-5").GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo("0123456789");
            // S3 serves the signed response-content-* overrides as headers; moto ignores them, so only their presence
            // in the signed URL is checked here.
            assertThat(url.url().getRawQuery()).contains("response-content-disposition=attachment", "response-content-type=text%2Fplain");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo("2345");
        }
    }

    @Test
    void shouldListAFileUploadedByPresignedPut() throws Exception {
        try (FileStore store = store()) {
            SignedUrl url = store.uploadUrl("job-4", FileStore.ARTIFACTS + "/attempt-1", "out.json", "application/json").orElseThrow();
            HttpRequest.Builder put = HttpRequest.newBuilder(url.url()).PUT(HttpRequest.BodyPublishers.ofString("{\"ok\":true}"));
            url.headers().forEach(put::header);

            assertThat(HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(url.method()).isEqualTo("PUT");
            assertThat(store.list("job-4", FileStore.ARTIFACTS + "/attempt-1")).extracting(StoredFile::key, StoredFile::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("jobs/job-4/artifacts/attempt-1/out.json", 11L));
        }
    }

    @Test
    void shouldDeleteEveryObjectOfAJobAndItsLocalCopiesButNoOtherJobs() throws IOException {
        try (FileStore store = store()) {
            StoredFile input = store.save("job-5", FileStore.INPUTS + "/r1", "in.csv", "text/csv", text("x"));
            store.save("job-5", FileStore.ARTIFACTS + "/attempt-1", "out.csv", "text/csv", text("y"));
            StoredFile other = store.save("job-50", FileStore.INPUTS + "/r1", "in.csv", "text/csv", text("z"));
            Path copy = store.path(input);

            store.deleteJob("job-5");

            assertThat(store.list("job-5", FileStore.INPUTS + "/r1")).isEmpty();
            assertThat(store.list("job-5", FileStore.ARTIFACTS + "/attempt-1")).isEmpty();
            assertThat(copy).doesNotExist();
            assertThatThrownBy(() -> store.open(input)).isInstanceOf(FileNotFoundException.class);
            try (InputStream in = store.open(other)) {
                assertThat(in.readAllBytes()).hasSize(1);
            }
        }
    }

    @Test
    void shouldFailToOpenWhenTheBucketDoesNotExist() {
        FileStoreSettings missing = moto.settings("no-such-bucket", "");
        assertThatThrownBy(() -> missing.open(data.resolve("files"), data.resolve("cache")))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-bucket");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code size} bytes of a repeating pattern, made as they are read. */
    static final class Generated extends InputStream {

        private final long size;
        private long position;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (position++ * 31 % 251);
            }
            return n;
        }
    }
}
