package io.jobline.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.worker.StoredFile;

class LocalCopiesTest {

    @TempDir
    Path dir;

    @Test
    void shouldFetchACopyOnceAndServeItFromTheFolderAfter() throws IOException {
        LocalCopies copies = new LocalCopies(dir, 1000);
        AtomicInteger fetches = new AtomicInteger();
        StoredFile file = file("jobs/j/inputs/r/a.csv", 3);

        Path first = copies.get(file, () -> fetch(fetches, 3));
        Path second = copies.get(file, () -> fetch(fetches, 3));

        assertThat(first).isEqualTo(second).hasContent("xxx");
        assertThat(fetches).hasValue(1);
        try (var listed = Files.list(first.getParent())) {
            assertThat(listed).as("no partial file left").hasSize(1);
        }
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedCopiesBeyondTheLimit() throws IOException {
        LocalCopies copies = new LocalCopies(dir, 250);
        AtomicInteger fetches = new AtomicInteger();
        Path a = copies.get(file("jobs/a/inputs/r/a", 100), () -> fetch(fetches, 100));
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Path b = copies.get(file("jobs/b/inputs/r/b", 100), () -> fetch(fetches, 100));
        Files.setLastModifiedTime(b, java.nio.file.attribute.FileTime.fromMillis(2_000));

        Path c = copies.get(file("jobs/c/inputs/r/c", 100), () -> fetch(fetches, 100));

        assertThat(a).doesNotExist();
        assertThat(b).exists();
        assertThat(c).exists();
    }

    @Test
    void shouldHandOutAFileLargerThanTheWholeCache() throws IOException {
        LocalCopies copies = new LocalCopies(dir, 10);

        Path big = copies.get(file("jobs/a/inputs/r/big", 100), () -> fetch(new AtomicInteger(), 100));

        assertThat(big).exists();
    }

    @Test
    void shouldForgetTheCopiesOfAJob() throws IOException {
        LocalCopies copies = new LocalCopies(dir, 1000);
        Path a = copies.get(file("jobs/a/inputs/r/a", 1), () -> fetch(new AtomicInteger(), 1));
        Path b = copies.get(file("jobs/ab/inputs/r/b", 1), () -> fetch(new AtomicInteger(), 1));

        copies.forget("jobs/a/");

        assertThat(a).doesNotExist();
        assertThat(b).exists();
    }

    private static StoredFile file(String key, long size) {
        return new StoredFile(key.substring(key.lastIndexOf('/') + 1), key, size, "text/plain");
    }

    private static ByteArrayInputStream fetch(AtomicInteger fetches, int size) {
        fetches.incrementAndGet();
        return new ByteArrayInputStream("x".repeat(size).getBytes());
    }
}
