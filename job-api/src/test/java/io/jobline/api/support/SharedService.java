package io.jobline.api.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One running service (and so one broker) for all integration test classes of a run: started by the first class
 * that needs it, stopped when the run ends.
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
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(SharedService.class.getName(), (AutoCloseable) started::close);
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
