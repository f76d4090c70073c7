package io.jobline.core.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The folder one service instance keeps its data in. Held with an exclusive lock for the life of the process, so
 * two processes can never share it (a second broker on the same Kafka log would corrupt it). It also keeps this
 * instance's stable id, used for Kafka static group membership: a restarted instance takes its partitions back at
 * once instead of waiting for its old session to expire.
 */
public final class DataDirectory implements AutoCloseable {

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String instanceId;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock, String instanceId) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.instanceId = instanceId;
    }

    public static DataDirectory open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Data directory " + root + " is in use by another process;"
                        + " give each instance its own JOBLINE_DATA_DIR");
            }
            return new DataDirectory(root, channel, lock, instanceId(root.resolve("instance-id")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open data directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }

    private static String instanceId(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = "jobline-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }
}
