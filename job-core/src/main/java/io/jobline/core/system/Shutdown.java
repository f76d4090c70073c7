package io.jobline.core.system;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a standalone process alive until it is told to stop, then closes its parts in the order given. */
public final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    public static void awaitThenClose(AutoCloseable... parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception e) {
                    log.warn("Could not close {} cleanly: {}", part.getClass().getSimpleName(), e.toString());
                }
            }
            stopped.countDown();
        }, "jobline-shutdown"));
        stopped.await();
    }
}
