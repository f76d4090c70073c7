package io.jobline.core.command;

import java.util.concurrent.CompletableFuture;

import io.jobline.schemas.command.JobCommand;

/** Appends commands to job-commands, keyed by job id (a tick: to the partition it names). */
public interface CommandSender {

    /** Completes when the broker has acknowledged the command (acks=all). */
    CompletableFuture<Void> send(JobCommand command);
}
