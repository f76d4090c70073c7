package io.jobline.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.jobline.worker.StoredFile;

/**
 * Local copies of an object store's files, for code that needs a file on disk ({@link FileStore#path}): a folder
 * bounded by size, least recently used copies evicted first. A copy is fetched to a partial file and renamed into
 * place, so a reader never sees half of one; the copy just fetched is never evicted by its own fetch (a file larger
 * than the whole cache is still handed out, and evicted by the next fetch). A caller that holds a path for long
 * should open it at once: on Linux an open file outlives its eviction.
 */
final class LocalCopies {

    interface Source {
        InputStream open() throws IOException;
    }

    private final Path dir;
    private final long maxBytes;

    LocalCopies(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    Path get(StoredFile ref, Source source) throws IOException {
        Path target = resolve(ref.key());
        if (Files.isRegularFile(target) && Files.size(target) == ref.size()) {
            Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
            return target;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".fetch-", ".partial");
        try (InputStream in = source.open()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        evictBeyondLimit(target);
        return target;
    }

    /** Drops the copies of every file whose key starts with {@code keyPrefix}. */
    void forget(String keyPrefix) throws IOException {
        Path folder = resolve(keyPrefix);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private synchronized void evictBeyondLimit(Path keep) throws IOException {
        record Copy(Path path, long size, long used) {
        }
        List<Copy> copies;
        try (Stream<Path> paths = Files.walk(dir)) {
            copies = paths.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".partial"))
                    .map(p -> {
                        try {
                            return new Copy(p, Files.size(p), Files.getLastModifiedTime(p).toMillis());
                        } catch (IOException e) {
                            return null; // evicted meanwhile
                        }
                    })
                    .filter(c -> c != null)
                    .sorted(Comparator.comparingLong(Copy::used))
                    .toList();
        }
        long total = copies.stream().mapToLong(Copy::size).sum();
        for (Copy copy : copies) {
            if (total <= maxBytes) {
                return;
            }
            if (!copy.path().equals(keep)) {
                try {
                    Files.deleteIfExists(copy.path());
                } catch (NoSuchFileException e) {
                    // gone already
                }
                total -= copy.size();
            }
        }
    }

    private Path resolve(String key) {
        Path path = dir.resolve(key).normalize();
        if (!path.startsWith(dir)) {
            throw new IllegalArgumentException("File key escapes the cache: " + key);
        }
        return path;
    }
}
