package io.jobline.api.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jobline.processor.JobProcessorMain;

/**
 * The processor (decider and workers) in a child JVM, as a separate deployment would run it: started with this
 * test's classpath against a running service's broker, and killed with SIGKILL (or paused with SIGSTOP) at will.
 */
public final class ChildProcessor implements AutoCloseable {

    private final ProcessBuilder builder;
    private Process process;
    private int starts;

    public ChildProcessor(String bootstrapServers, Path dataDir, Path filesDir, int partitions, int concurrency) {
        this(bootstrapServers, dataDir, filesDir, partitions, concurrency, Map.of());
    }

    /** {@code env}: more settings, e.g. JOBLINE_WORKER_ID or JOBLINE_SESSION_TIMEOUT_MS. */
    public ChildProcessor(String bootstrapServers, Path dataDir, Path filesDir, int partitions, int concurrency,
                          Map<String, String> env) {
        List<String> command = ChildJvm.command(dataDir, JobProcessorMain.class, "-Xmx256m", "-XX:+UseSerialGC");
        this.builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("processor.log").toFile()));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        builder.environment().put("JOBLINE_DATA_DIR", dataDir.toString());
        builder.environment().put("JOBLINE_FILES_DIR", filesDir.toString());
        builder.environment().put("JOBLINE_PARTITIONS", Integer.toString(partitions));
        builder.environment().put("JOBLINE_PROCESSOR_CONCURRENCY", Integer.toString(concurrency));
        builder.environment().putAll(env);
    }

    public ChildProcessor start() {
        try {
            process = builder.start();
            starts++;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, then waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int starts() {
        return starts;
    }

    public File log() {
        return builder.redirectOutput().file();
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (IOException e) {
                // killing it anyway
            }
            kill();
        }
    }
}
