package io.jobline.api.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jobline.api.JoblineApplication;

/**
 * The whole service (embedded broker, processor, projections, API) in a child JVM on a data folder of its own, as
 * the README's run command starts it: killed with SIGKILL at will and started again on the same folder, ports
 * and all.
 */
public final class ChildService implements AutoCloseable {

    private final ChildJvm jvm;
    private final int kafkaPort;
    private final ServiceClient client;

    /**
     * {@code properties}: more settings, as Spring Boot command-line arguments without the leading dashes; "{port}" in
     * a value stands for the child's HTTP port.
     */
    public ChildService(Path dir, Map<String, String> properties) {
        this(dir, properties, "-Xmx768m", "-XX:TieredStopAtLevel=1");
    }

    /** {@code jvmOptions}: the child's -Xmx option, e.g. {@code -Xmx256m}, and any others. */
    public ChildService(Path dir, Map<String, String> properties, String... jvmOptions) {
        int httpPort = ChildJvm.freePort();
        this.kafkaPort = ChildJvm.freePort();
        this.client = new ServiceClient("http://127.0.0.1:" + httpPort);
        List<String> options = new ArrayList<>(List.of(jvmOptions));
        options.add("-XX:+UseSerialGC");
        List<String> command = new ArrayList<>(ChildJvm.command(dir, JoblineApplication.class, options.toArray(String[]::new)));
        command.addAll(List.of("--server.port=" + httpPort, "--jobline.data-dir=" + dir.resolve("data"),
                "--jobline.kafka.embedded-port=" + kafkaPort, "--logging.config=" + dir.resolve("logback.xml")));
        // "{port}" in a value is the child's HTTP port (for a URL it advertises).
        properties.forEach((name, value) -> command.add("--" + name + "=" + value.replace("{port}", Integer.toString(httpPort))));
        this.jvm = new ChildJvm(command, dir.resolve("service.log").toFile());
    }

    public ChildService start() {
        jvm.start();
        return this;
    }

    /** SIGKILL: the broker, the decider, the workers and the projections die together. Waits until it is gone. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /** SIGTERM: a graceful stop, as Ctrl-C or a container's stop. Waits until it is gone. */
    public void stop() throws InterruptedException {
        jvm.stop();
    }

    public ServiceClient client() {
        return client;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int starts() {
        return jvm.starts();
    }

    /** The last {@code lines} lines of the service's log, to say why a test failed. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(jvm.log().toPath());
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    /** The service's log lines that contain {@code text}, the last {@code lines} of them. */
    public List<String> logLinesWith(String text, int lines) {
        try {
            List<String> all = Files.readAllLines(jvm.log().toPath()).stream().filter(line -> line.contains(text)).toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm.isAlive()) {
            kill();
        }
    }
}
