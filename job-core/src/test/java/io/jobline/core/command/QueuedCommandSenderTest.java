package io.jobline.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;


class QueuedCommandSenderTest {

    private final JobCommands commands = new JobCommands(Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldNotBlockItsCallersWhileTheTargetBlocksAndKeepTheirOrder() throws Exception {
        CountDownLatch brokerBack = new CountDownLatch(1);
        List<String> handedOver = new CopyOnWriteArrayList<>();
        CommandSender blockingProducer = command -> {
            try {
                brokerBack.await(); // like KafkaProducer.send without metadata during an outage
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handedOver.add(command.getJobId());
            return CompletableFuture.completedFuture(null);
        };
        try (QueuedCommandSender sender = new QueuedCommandSender(blockingProducer)) {
            List<CompletableFuture<Void>> acks = List.of("a", "b", "c").stream()
                    .map(id -> sender.send(commands.heartbeat(id, "w", 1, 1))).toList();
            assertThat(acks).as("sent without waiting for the producer").noneMatch(CompletableFuture::isDone);

            brokerBack.countDown();

            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertThat(handedOver).containsExactly("a", "b", "c");
        }
    }

    @Test
    void shouldPassOnTheTargetsFailure() throws Exception {
        CommandSender failing = command -> CompletableFuture.failedFuture(new IllegalStateException("refused"));
        try (QueuedCommandSender sender = new QueuedCommandSender(failing)) {
            CompletableFuture<Void> acked = sender.send(commands.heartbeat("a", "w", 1, 1));

            assertThat(acked).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("refused");
        }
    }
}
