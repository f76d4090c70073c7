package io.jobline.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class FileStoreSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldOpenTheLocalStoreWhenNothingIsSet() throws IOException {
        FileStoreSettings settings = new FileStoreSettings(null, null, null);

        assertThat(settings.store()).isEqualTo(FileStoreSettings.Kind.LOCAL);
        assertThat(settings.cacheMaxSize()).isEqualTo(DataSize.ofGigabytes(5));
        assertThat(settings.s3().partSize()).isEqualTo(DataSize.ofMegabytes(8));
        assertThat(settings.s3().presignExpiry()).isEqualTo(Duration.ofMinutes(15));
        try (FileStore store = settings.open(dir.resolve("files"), dir.resolve("cache"))) {
            assertThat(store).isInstanceOf(LocalFileStore.class);
        }
    }

    @Test
    void shouldMakeThePrefixOneFolderWhateverItsSlashes() {
        assertThat(s3("jobline").prefix()).isEqualTo("jobline/");
        assertThat(s3("/a/b//").prefix()).isEqualTo("a/b/");
        assertThat(s3(" / ").prefix()).isEmpty();
        assertThat(s3(null).prefix()).isEmpty();
    }

    @Test
    void shouldRefuseAnS3StoreWithoutABucketHalfTheCredentialsOrPartsUnderFiveMegabytes() {
        assertThatThrownBy(() -> new FileStoreSettings(FileStoreSettings.Kind.S3, null, null).open(dir, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JOBLINE_S3_BUCKET");
        assertThatThrownBy(() -> new FileStoreSettings(FileStoreSettings.Kind.S3, new FileStoreSettings.S3("b", null, null,
                null, null, false, "id", null, null, null), null).open(dir, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JOBLINE_S3_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> new FileStoreSettings(FileStoreSettings.Kind.S3, new FileStoreSettings.S3("b", null, null,
                null, null, false, null, null, DataSize.ofMegabytes(4), null), null).open(dir, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part-size");
    }

    @Test
    void shouldNeverShowTheSecretKey() {
        FileStoreSettings.S3 s3 = new FileStoreSettings.S3("b", null, null, null, null, false, "AKIA1", "s3cr3t", null, null);

        assertThat(s3.toString()).doesNotContain("s3cr3t").contains("explicit");
        assertThat(new FileStoreSettings(FileStoreSettings.Kind.S3, s3, null).toString()).doesNotContain("s3cr3t");
    }

    private static FileStoreSettings.S3 s3(String prefix) {
        return new FileStoreSettings.S3("b", prefix, null, null, null, false, null, null, null, null);
    }
}
