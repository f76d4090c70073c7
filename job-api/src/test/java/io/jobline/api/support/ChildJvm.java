package io.jobline.api.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the tests, started (and started again) with this JVM's java and classpath and a quiet log
 * configuration, its output appended to a log file; killed with SIGKILL or stopped with SIGTERM.
 */
final class ChildJvm {

    private final ProcessBuilder builder;
    private Process process;
    private int starts;

    ChildJvm(List<String> command, File log) {
        this.builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    }

    /** For settings given as environment variables. */
    Map<String, String> environment() {
        return builder.environment();
    }

    void start() {
        try {
            process = builder.start();
            starts++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits until the process is gone (killing it after a minute). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Sends a signal by name (STOP, CONT). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    int starts() {
        return starts;
    }

    File log() {
        return builder.redirectOutput().file();
    }

    /** {@code java <options> -Dlogback.configurationFile=<dir>/logback.xml -cp <this classpath> <main>}. */
    static List<String> command(Path dir, Class<?> main, String... options) {
        Path logConfig = dir.resolve("logback.xml");
        try {
            Files.createDirectories(dir);
            Files.writeString(logConfig, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{30} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="io.jobline" level="INFO"/>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-Dlogback.configurationFile=" + logConfig, "-cp", System.getProperty("java.class.path"),
                main.getName()));
        return command;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
