package io.jobline.api.live;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.api.access.Caller;
import io.jobline.api.access.JobAccess;

/**
 * One connected client. Messages wait in a bounded queue and are sent by a shared pool, one at a time per client,
 * so a slow client only ever delays itself; when its queue is full it is disconnected. Per job it keeps the last
 * sequence number sent: nothing older or repeated goes out, and while a job's missed updates are replayed, its live
 * updates are held back and sent after them in order. It sees only what its caller may see: its owner's jobs (an
 * admin every job).
 */
final class Subscriber {

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
    private static final int MAX_BATCH = 256;

    private final String id;
    private final Sink sink;
    private final Caller caller;
    private final Executor sender;
    private final int capacity;
    private final ArrayDeque<LiveMessage> queue = new ArrayDeque<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Map<String, List<LiveMessage>> heldBack = new HashMap<>();
    private final Set<String> jobs = new HashSet<>();
    private boolean allJobs;
    private boolean sending;
    private boolean closed;
    private final List<Runnable> onClose = new ArrayList<>();
    private Runnable onTooSlow = () -> { };

    Subscriber(String id, Sink sink, Caller caller, Executor sender, int capacity) {
        this.id = id;
        this.sink = sink;
        this.caller = caller;
        this.sender = sender;
        this.capacity = capacity;
    }

    String id() {
        return id;
    }

    Caller caller() {
        return caller;
    }

    /** Whether updates of a job of this owner may go to this client. */
    boolean sees(String owner) {
        return JobAccess.sees(caller, owner);
    }

    /** Runs {@code action} when this subscriber is disconnected for not keeping up (before it closes). */
    synchronized void onTooSlow(Runnable action) {
        onTooSlow = action;
    }

    /** Runs {@code action} once when this subscriber closes, or at once if it already has. */
    void onClose(Runnable action) {
        synchronized (this) {
            if (!closed) {
                onClose.add(action);
                return;
            }
        }
        action.run();
    }

    synchronized void follow(String jobId) {
        if ("*".equals(jobId)) {
            allJobs = true;
        } else {
            jobs.add(jobId);
        }
    }

    synchronized void unfollow(String jobId) {
        if ("*".equals(jobId)) {
            allJobs = false;
        } else {
            jobs.remove(jobId);
            if (!allJobs) {
                lastSeq.remove(jobId); // still followed as one of every job: what was sent of it stays sent
            }
        }
    }

    synchronized Set<String> followedJobs() {
        return Set.copyOf(jobs);
    }

    /** A live update: held back during a replay of its job, dropped if not newer than what was sent. */
    synchronized void deliver(LiveMessage message) {
        List<LiveMessage> held = heldBack.get(message.jobId());
        if (held != null) {
            held.add(message);
            return;
        }
        sendIfNewer(message);
    }

    /** From now until {@link #endReplay}, live updates of this job wait. */
    synchronized void beginReplay(String jobId) {
        heldBack.putIfAbsent(jobId, new ArrayList<>());
    }

    /** Sends the live updates that came during the replay and are newer than it. */
    synchronized void endReplay(String jobId) {
        List<LiveMessage> held = heldBack.remove(jobId);
        if (held != null) {
            held.forEach(this::sendIfNewer);
        }
    }

    /** Drops what was held back for a replay that does not happen: the job is unknown, or not the caller's. */
    synchronized void abandonReplay(String jobId) {
        heldBack.remove(jobId);
    }

    /** A message of a replay or snapshot: subject to the same per-job ordering, never held back. */
    synchronized void sendIfNewer(LiveMessage message) {
        if (message.jobId() != null && message.seq() > 0) {
            Long last = lastSeq.get(message.jobId());
            if (last != null && message.seq() <= last) {
                return;
            }
            if (allJobs || jobs.contains(message.jobId()) || heldBack.containsKey(message.jobId())) {
                lastSeq.put(message.jobId(), message.seq());
            }
        }
        send(message);
    }

    /** A job's current state: always sent, and nothing older of that job after it. */
    synchronized void sendSnapshot(LiveMessage message) {
        lastSeq.merge(message.jobId(), message.seq(), Math::max);
        send(message);
    }

    /** A reply (connection, subscribed, error): always sent, in order with everything else. */
    synchronized void send(LiveMessage message) {
        if (closed) {
            return;
        }
        if (queue.size() >= capacity) {
            log.info("Disconnecting subscriber {}: {} messages waiting, it does not keep up", id, queue.size());
            onTooSlow.run();
            closeQuietly("Client too slow: more than " + capacity + " messages waiting");
            return;
        }
        queue.add(message);
        if (!sending) {
            sending = true;
            sender.execute(this::drain);
        }
    }

    /**
     * Waits, for at most {@code timeout}, until at most half of the queue is taken (or the client is gone): lets a
     * replay of many messages keep pace with the client instead of filling its queue at once.
     */
    synchronized void awaitRoom(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = timeout.toNanos();
        while (!closed && queue.size() > capacity / 2 && left > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
            left = deadline - System.nanoTime();
        }
    }

    synchronized void forgetFinished(String jobId) {
        if (!jobs.contains(jobId)) {
            lastSeq.remove(jobId);
        }
    }

    /** Sends a keep-alive from the pool (never on the caller's thread), unless messages are flowing anyway. */
    void heartbeat() {
        synchronized (this) {
            if (closed || sending) {
                return;
            }
        }
        sender.execute(() -> {
            try {
                sink.heartbeat();
            } catch (Exception e) {
                closeQuietly("heartbeat failed");
            }
        });
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops sending and forgets the client. The connection itself is closed from the pool: closing a stalled
     * socket can block, and this may be called on the projection's thread.
     */
    void closeQuietly(String reason) {
        List<Runnable> actions;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            notifyAll();
            actions = List.copyOf(onClose);
        }
        actions.forEach(Runnable::run);
        try {
            sender.execute(() -> sink.close(reason));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sink.close(reason);
        }
    }

    private void drain() {
        while (true) {
            List<LiveMessage> batch = new ArrayList<>();
            synchronized (this) {
                while (!closed && !queue.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queue.poll());
                }
                notifyAll(); // room for a replay waiting in awaitRoom
                if (batch.isEmpty()) {
                    sending = false;
                    return;
                }
            }
            try {
                sink.send(batch);
            } catch (Exception e) {
                log.debug("Subscriber {} gone: {}", id, e.toString());
                closeQuietly("send failed");
                return;
            }
        }
    }
}
