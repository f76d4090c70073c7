package io.jobline.api.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One running service (and so one broker) for all integration test classes a test JVM runs: started by the first
 * class that needs it, stopped when the JVM ends.
 */
public final class SharedService implements BeforeAllCallback {

    private static RunningService service;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        synchronized (SharedService.class) {
            if (service == null) {
                Path dir = Files.createTempDirectory("jobline-it-");
                RunningService started = RunningService.start(dir, Map.of("jobline.live.queue-capacity", 100,
                        "jobline.submit.max-body-size", "64KB",
                        "spring.servlet.multipart.max-file-size", "256KB",
                        "spring.servlet.multipart.max-request-size", "512KB"));
                // Stopped when the test JVM ends, not with JUnit's root context: a fork that runs the classes of a
                // shared queue one at a time ends a root context after each class.
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-service-stop"));
                service = started;
            }
        }
    }

    public static RunningService service() {
        return service;
    }

    public static ServiceClient client() {
        return service.client();
    }
}
