package io.jobline.api.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.command.CommandSender;
import io.jobline.core.logging.JobLogContext;
import io.jobline.schemas.command.JobCommand;

/** Appends a request's command and waits for Kafka's acknowledgement, bounded: past it the caller gets a 503. */
@Component
public class CommandAppender {

    private static final Logger log = LoggerFactory.getLogger(CommandAppender.class);

    private final CommandSender sender;
    private final long ackTimeoutMs;

    CommandAppender(CommandSender sender, JoblineProperties properties) {
        this.sender = sender;
        this.ackTimeoutMs = properties.submit().ackTimeout().toMillis();
    }

    /**
     * Appends many commands at once and waits for their acknowledgements within one timeout. Each is told apart:
     * true for a command Kafka acknowledged, false for one it did not within the timeout (which may still be
     * appended: the producer keeps trying until its delivery timeout).
     */
    public List<Boolean> appendEach(List<JobCommand> batch) {
        List<CompletableFuture<Void>> acks = batch.stream().map(sender::send).toList();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMs);
        List<Boolean> acknowledged = new ArrayList<>(acks.size());
        for (CompletableFuture<Void> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(true);
            } catch (TimeoutException | ExecutionException e) {
                acknowledged.add(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acknowledged.add(false);
            }
        }
        long missing = acknowledged.stream().filter(ok -> !ok).count();
        if (missing > 0) {
            log.warn("{} of {} commands not acknowledged within {} ms", missing, batch.size(), ackTimeoutMs);
        }
        return acknowledged;
    }

    public void append(JobCommand command) {
        append(command, () -> { });
    }

    /**
     * Appends and waits for the acknowledgement; a 503 when it does not come in time. {@code ifNotAppended} runs
     * once Kafka has finally refused the command (at once, or when the producer gives up after the timeout), never
     * for a command that was appended.
     */
    public void append(JobCommand command, Runnable ifNotAppended) {
        CompletableFuture<Void> ack = sender.send(command);
        ack.whenComplete((ok, error) -> {
            if (error != null) {
                ifNotAppended.run();
            }
        });
        try {
            ack.get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            try (JobLogContext ignored = JobLogContext.of(command.getJobId())) {
                log.warn("{} for job {} not acknowledged: {}", command.getPayload().getClass().getSimpleName(),
                        command.getJobId(), e.toString());
            }
            throw ApiException.unavailable("Kafka did not acknowledge the request within " + ackTimeoutMs + " ms; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while appending the request");
        }
    }
}
