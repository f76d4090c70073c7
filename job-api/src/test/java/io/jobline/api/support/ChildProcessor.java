package io.jobline.api.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.jobline.processor.JobProcessorMain;

/**
 * The processor (decider and workers) in a child JVM, as a separate deployment would run it: started with this
 * test's classpath against a running service's broker, and killed with SIGKILL (or paused with SIGSTOP) at will.
 */
public final class ChildProcessor implements AutoCloseable {

    private final ChildJvm jvm;

    public ChildProcessor(String bootstrapServers, Path dataDir, Path filesDir, int partitions, int concurrency) {
        this(bootstrapServers, dataDir, filesDir, partitions, concurrency, Map.of());
    }

    /** {@code env}: more settings, e.g. JOBLINE_WORKER_ID or JOBLINE_SESSION_TIMEOUT_MS. */
    public ChildProcessor(String bootstrapServers, Path dataDir, Path filesDir, int partitions, int concurrency,
                          Map<String, String> env) {
        List<String> command = ChildJvm.command(dataDir, JobProcessorMain.class, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1");
        this.jvm = new ChildJvm(command, dataDir.resolve("processor.log").toFile());
        jvm.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        jvm.environment().put("JOBLINE_DATA_DIR", dataDir.toString());
        jvm.environment().put("JOBLINE_FILES_DIR", filesDir.toString());
        jvm.environment().put("JOBLINE_PARTITIONS", Integer.toString(partitions));
        jvm.environment().put("JOBLINE_PROCESSOR_CONCURRENCY", Integer.toString(concurrency));
        jvm.environment().putAll(env);
    }

    public ChildProcessor start() {
        jvm.start();
        return this;
    }

    /** SIGKILL, then waits until the process is gone. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    public void pause() throws IOException, InterruptedException {
        jvm.signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        jvm.signal("CONT");
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public int starts() {
        return jvm.starts();
    }

    public File log() {
        return jvm.log();
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm.isAlive()) {
            try {
                resume();
            } catch (IOException e) {
                // killing it anyway
            }
            kill();
        }
    }
}
