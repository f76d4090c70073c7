package io.jobline.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

import io.jobline.worker.StoredFile;


/**
 * A file store in a local folder: {@code <root>/jobs/<job id>/<folder>/<name>}. A saved file is on disk before
 * {@link #save} returns: written to a partial file, forced to the device, renamed into place, and its folder (and
 * every folder created for it) forced too, so a crash right after an acknowledged upload cannot lose it.
 */
public final class LocalFileStore implements FileStore {

    private final Path root;

    public LocalFileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public StoredFile save(String jobId, String folder, String name, String contentType, InputStream content) throws IOException {
        String safeName = FileNames.safe(name);
        String key = FileKeys.jobFolder(jobId) + FileKeys.folder(folder) + "/" + safeName;
        Path target = resolve(key);
        createDirectoriesDurably(target.getParent());
        Path partial = target.resolveSibling(safeName + ".partial");
        long size;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            size = content.transferTo(out);
            out.flush();
            channel.force(true);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
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
    public java.util.List<StoredFile> list(String jobId, String folder) throws IOException {
        String prefix = FileKeys.jobFolder(jobId) + FileKeys.folder(folder);
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (var entries = Files.list(dir)) {
            java.util.List<StoredFile> found = new java.util.ArrayList<>();
            for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".partial")) {
                    String type = java.net.URLConnection.guessContentTypeFromName(name);
                    found.add(new StoredFile(name, prefix + "/" + name, Files.size(file),
                            type == null ? "application/octet-stream" : type));
                }
            }
            return found;
        }
    }

    @Override
    public void deleteJob(String jobId) throws IOException {
        delete(FileKeys.jobFolder(jobId));
    }

    @Override
    public void deleteFolder(String jobId, String folder) throws IOException {
        delete(FileKeys.jobFolder(jobId) + FileKeys.folder(folder));
    }

    private void delete(String key) throws IOException {
        Path dir = resolve(key);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Creates the missing folders of {@code dir} and forces each new entry into its parent. */
    private static void createDirectoriesDurably(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        Files.createDirectories(dir);
        for (Path created : missing) {
            forceDirectory(created.getParent());
        }
    }

    /** Makes the folder's entries (a renamed or created file) durable: fsync on the directory itself. */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
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
