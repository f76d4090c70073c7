package io.jobline.processor.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;


/** A file store in a local folder: {@code <root>/jobs/<job id>/<folder>/<name>}. */
public final class LocalFileStore implements FileStore {

    private final Path root;

    public LocalFileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public StoredFile save(String jobId, String folder, String name, String contentType, InputStream content) throws IOException {
        String safeName = FileNames.safe(name);
        String key = "jobs/" + FileNames.safe(jobId) + "/" + FileNames.safe(folder) + "/" + safeName;
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(safeName + ".partial");
        long size = Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new StoredFile(safeName, key, size, contentType);
    }

    @Override
    public Path path(StoredFile ref) {
        return resolve(ref.key());
    }

    @Override
    public InputStream open(StoredFile ref) throws IOException {
        return Files.newInputStream(path(ref));
    }

    @Override
    public void deleteJob(String jobId) throws IOException {
        Path dir = resolve("jobs/" + FileNames.safe(jobId));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("File key escapes the store: " + key);
        }
        return path;
    }
}
