package io.jobline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobline.api.access.Caller;

/** The per-client queue: bounded, ordered, deduplicated per job, and never blocking the caller. */
class SubscriberTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void shouldDisconnectAClientWhoseQueueOverflowsWithoutBlockingTheCaller() {
        BlockingSink stalled = new BlockingSink();
        Subscriber subscriber = new Subscriber("s1", stalled, Caller.localAdmin(), pool, 10);
        subscriber.follow("*");
        boolean[] removed = {false};
        subscriber.onClose(() -> removed[0] = true);
        int[] tooSlow = {0};
        subscriber.onTooSlow(() -> tooSlow[0]++);

        long started = System.nanoTime();
        for (int seq = 1; seq <= 50; seq++) {
            subscriber.deliver(message("job-1", seq));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("delivering never waits for the client").isLessThan(Duration.ofSeconds(1));
        assertThat(subscriber.isClosed()).isTrue();
        assertThat(removed[0]).isTrue();
        assertThat(tooSlow[0]).as("counted once, for jobline.live.clients.dropped").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> stalled.closedWith != null);
        assertThat(stalled.closedWith).contains("too slow");
        stalled.release.countDown();
    }

    @Test
    void shouldLetAReplayWaitUntilTheClientHasTakenHalfItsQueue() throws Exception {
        BlockingSink stalled = new BlockingSink();
        Subscriber subscriber = new Subscriber("s1", stalled, Caller.localAdmin(), pool, 10);
        subscriber.follow("job-1");
        subscriber.deliver(message("job-1", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> stalled.sending);
        for (int seq = 2; seq <= 9; seq++) {
            subscriber.deliver(message("job-1", seq));
        }

        long started = System.nanoTime();
        subscriber.awaitRoom(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no room while the client reads nothing")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));

        stalled.release.countDown();
        subscriber.awaitRoom(Duration.ofSeconds(5));
        assertThat(subscriber.isClosed()).isFalse();
        subscriber.closeQuietly("done");
        subscriber.awaitRoom(Duration.ofSeconds(5)); // a closed client never makes a replay wait
    }

    @Test
    void shouldSendEachJobsUpdatesOnceAndInOrder() {
        RecordingSink sink = new RecordingSink();
        Subscriber subscriber = new Subscriber("s1", sink, Caller.localAdmin(), pool, 100);
        subscriber.follow("job-1");

        for (long seq : new long[] {1, 2, 2, 3, 1, 4}) {
            subscriber.deliver(message("job-1", seq));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.seqs.size() == 4);
        assertThat(sink.seqs).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldHoldLiveUpdatesBackDuringAReplayAndSendThemAfterIt() {
        RecordingSink sink = new RecordingSink();
        Subscriber subscriber = new Subscriber("s1", sink, Caller.localAdmin(), pool, 100);
        subscriber.beginReplay("job-1");
        subscriber.follow("job-1");

        subscriber.deliver(message("job-1", 7));
        subscriber.deliver(message("job-1", 8));
        subscriber.sendIfNewer(message("job-1", 5));
        subscriber.sendSnapshot(message("job-1", 7));
        subscriber.endReplay("job-1");

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.seqs.size() == 3);
        assertThat(sink.seqs).containsExactly(5L, 7L, 8L);
    }

    @Test
    void shouldKeepWhatItSentOfAJobWhoseOwnSubscriptionFailedWhileFollowingEveryJob() {
        RecordingSink sink = new RecordingSink();
        Subscriber subscriber = new Subscriber("s1", sink, Caller.localAdmin(), pool, 100);
        subscriber.follow("*");
        subscriber.deliver(message("job-1", 9));
        // A resume of job-1 that fails (its partition is moving), then one that replays from an older point.
        subscriber.beginReplay("job-1");
        subscriber.follow("job-1");
        subscriber.unfollow("job-1");
        subscriber.abandonReplay("job-1");
        subscriber.beginReplay("job-1");
        subscriber.follow("job-1");
        subscriber.sendIfNewer(message("job-1", 3));
        subscriber.sendIfNewer(message("job-1", 10));
        subscriber.endReplay("job-1");

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.seqs.size() == 2);
        assertThat(sink.seqs).as("nothing older than what was sent").containsExactly(9L, 10L);
    }

    private static LiveMessage message(String jobId, long seq) {
        return new LiveMessage("job_progress", jobId, "local", seq, null, "{\"seq\":" + seq + "}");
    }

    private static final class RecordingSink implements Sink {
        final List<Long> seqs = new CopyOnWriteArrayList<>();

        @Override
        public void send(LiveMessage message) {
            seqs.add(message.seq());
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void close(String reason) {
        }
    }

    /** A client that has stopped reading: every send blocks until released. */
    private static final class BlockingSink implements Sink {
        final CountDownLatch release = new CountDownLatch(1);
        volatile String closedWith;
        volatile boolean sending;

        @Override
        public void send(LiveMessage message) throws IOException {
            sending = true;
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }
    }
}
