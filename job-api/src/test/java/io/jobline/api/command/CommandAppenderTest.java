package io.jobline.api.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.command.JobCommands;
import io.jobline.schemas.command.JobCommand;

class CommandAppenderTest {

    private final JobCommands commands = new JobCommands(Clock.systemUTC());
    private final JoblineProperties properties = new JoblineProperties(null, null, null,
            new JoblineProperties.Submit(Duration.ofMillis(200), null), null, null, null, null, null, null, null, null);
    private final AtomicInteger discarded = new AtomicInteger();

    @Test
    void shouldRunTheRefusalActionWhenKafkaRefusesTheCommandAndAnswer503() {
        CommandAppender appender = new CommandAppender(command -> CompletableFuture.failedFuture(new IllegalStateException("down")), properties);

        assertThatThrownBy(() -> appender.append(cancel("j1"), discarded::incrementAndGet))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(503));
        assertThat(discarded).hasValue(1);
    }

    @Test
    void shouldRunTheRefusalActionOnlyOnceTheProducerGivesUpAfterTheTimeout() {
        CompletableFuture<Void> late = new CompletableFuture<>();
        CommandAppender appender = new CommandAppender(command -> late, properties);

        assertThatThrownBy(() -> appender.append(cancel("j1"), discarded::incrementAndGet)).isInstanceOf(ApiException.class);
        assertThat(discarded).as("it may still be appended").hasValue(0);
        late.completeExceptionally(new IllegalStateException("delivery timeout"));
        assertThat(discarded).hasValue(1);
    }

    @Test
    void shouldNeverRunTheRefusalActionForAnAppendedCommand() {
        CompletableFuture<Void> late = new CompletableFuture<>();
        CommandAppender appender = new CommandAppender(command -> late, properties);

        assertThatThrownBy(() -> appender.append(cancel("j1"), discarded::incrementAndGet)).isInstanceOf(ApiException.class);
        late.complete(null);
        assertThat(discarded).as("acknowledged after the answer: the job exists and keeps its files").hasValue(0);
    }

    @Test
    void shouldTellEachCommandOfABatchApart() {
        CommandAppender appender = new CommandAppender(command -> command.getJobId().equals("lost")
                ? new CompletableFuture<>() : CompletableFuture.completedFuture(null), properties);

        List<Boolean> acknowledged = appender.appendEach(List.of(cancel("a"), cancel("lost"), cancel("b")));

        assertThat(acknowledged).containsExactly(true, false, true);
    }

    private JobCommand cancel(String jobId) {
        return commands.cancel(jobId, "alice", null);
    }
}
