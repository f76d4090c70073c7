package io.jobline.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.worker.StoredFile;

class LocalFileStoreTest {

    @TempDir
    Path root;

    private LocalFileStore store() {
        return new LocalFileStore(root);
    }

    @Test
    void shouldSaveAFileUnderItsJobsFolderAndLeaveNoPartialFileBehind() throws IOException {
        StoredFile saved = store().save("job-1", FileStore.INPUTS + "/r1", "sales.csv", "text/csv", bytes("a,b\n1,2\n"));

        assertThat(saved.key()).isEqualTo("jobs/job-1/inputs/r1/sales.csv");
        assertThat(saved.size()).isEqualTo(8);
        assertThat(Files.readString(store().path(saved))).isEqualTo("a,b\n1,2\n");
        try (var files = Files.list(store().path(saved).getParent())) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("sales.csv");
        }
        assertThat(FileKeys.belongsTo(saved.key(), "job-1")).isTrue();
    }

    @Test
    void shouldDeleteOneFolderOfAJobAndKeepTheRest() throws IOException {
        StoredFile kept = store().save("job-1", FileStore.INPUTS + "/r1", "a.csv", "text/csv", bytes("a"));
        StoredFile refused = store().save("job-1", FileStore.INPUTS + "/r2", "a.csv", "text/csv", bytes("b"));

        store().deleteFolder("job-1", FileStore.INPUTS + "/r2");

        assertThat(store().path(refused)).doesNotExist();
        assertThat(Files.readString(store().path(kept))).isEqualTo("a");
    }

    @Test
    void shouldNotLetAFolderOrNameLeaveTheJobsFolder() throws IOException {
        StoredFile saved = store().save("job-1", FileStore.INPUTS, "../../passwd", "text/plain", bytes("x"));

        assertThat(saved.key()).as("the name's last segment only").isEqualTo("jobs/job-1/inputs/passwd");
        assertThatThrownBy(() -> store().save("job-1", "../../etc", "a", null, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTrustOnlyKeysInsideTheJobsOwnFolder() {
        assertThat(FileKeys.belongsTo("jobs/job-1/inputs/a.csv", "job-1")).isTrue();
        assertThat(FileKeys.belongsTo("jobs/job-2/inputs/a.csv", "job-1")).as("another job's file").isFalse();
        assertThat(FileKeys.belongsTo("jobs/job-1/../job-2/inputs/a.csv", "job-1")).isFalse();
        assertThat(FileKeys.belongsTo("jobs/job-1/a.csv", "job-1")).as("not in a folder of the job").isFalse();
        assertThat(FileKeys.belongsTo("jobs/job-10/inputs/a.csv", "job-1")).isFalse();
        assertThat(FileKeys.belongsTo("/etc/passwd", "job-1")).isFalse();
        assertThat(FileKeys.belongsTo(null, "job-1")).isFalse();
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
