package io.jobline.core.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.context.Context;

import io.jobline.schemas.command.JobCommand;

/**
 * Hands commands to another sender on one thread of its own, in the order they were sent, so the caller never
 * blocks. A producer blocks while it has no metadata for the topic (a broker outage): a worker would then stop
 * making reports, and the decider's next tick, sent after the outage, would find its last report older than the
 * heartbeat timeout. Queued here, the reports made during the outage keep their times and stay ahead of any tick
 * sent after them. The queue is unbounded: an outage holds every report made meanwhile in memory.
 */
public final class QueuedCommandSender implements CommandSender, AutoCloseable {

    private final CommandSender target;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "command-sender");
        t.setDaemon(true);
        return t;
    });

    public QueuedCommandSender(CommandSender target) {
        this.target = target;
    }

    @Override
    public CompletableFuture<Void> send(JobCommand command) {
        try {
            // Sent on another thread: with the trace context of the caller's.
            return CompletableFuture.supplyAsync(Context.current().wrapSupplier(() -> target.send(command)), thread)
                    .thenCompose(acked -> acked);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Hands what is queued to the target first (for at most 10 s). */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
