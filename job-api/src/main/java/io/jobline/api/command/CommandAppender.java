package io.jobline.api.command;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.processor.command.CommandSender;
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

    /** Appends many commands at once, then waits for all their acknowledgements within one timeout. */
    public void appendAll(java.util.List<JobCommand> batch) {
        java.util.concurrent.CompletableFuture<?>[] acks = batch.stream().map(sender::send)
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        try {
            java.util.concurrent.CompletableFuture.allOf(acks).get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{} commands not all acknowledged: {}", batch.size(), e.toString());
            throw ApiException.unavailable("Kafka did not acknowledge the requests within " + ackTimeoutMs + " ms; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while appending the requests");
        }
    }

    public void append(JobCommand command) {
        try {
            sender.send(command).get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{} for job {} not acknowledged: {}", command.getPayload().getClass().getSimpleName(),
                    command.getJobId(), e.toString());
            throw ApiException.unavailable("Kafka did not acknowledge the request within " + ackTimeoutMs + " ms; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while appending the request");
        }
    }
}
