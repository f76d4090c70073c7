package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a child JVM of the tests needs: this JVM's java and classpath, a quiet log configuration, free ports. */
final class ChildJvm {

    private ChildJvm() {
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
