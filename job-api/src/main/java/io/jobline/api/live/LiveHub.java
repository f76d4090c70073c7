package io.jobline.api.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.jobline.api.access.Caller;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.ViewListener;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/**
 * Fans every folded event out to the clients that follow its job (or every job). It numbers the stream of all
 * updates in this process ({@code <epoch>-<n>}) and keeps the last {@value #RECENT} of them while anyone follows
 * every job (and for a while after), so an all-jobs stream that reconnects with the last id it saw gets exactly what
 * it missed; when what it missed is no longer kept, it is told to refetch.
 *
 * <p>The projection only hands each folded event to a bounded queue; one dispatcher thread builds the messages and
 * fans them out, so push load never slows the projection that REST reads depend on. Should the queue ever fill,
 * every push client is disconnected: clients reconnect and resume from the event log.
 *
 * <p>A client gets the updates of the jobs its caller may see: following every job, a caller's own jobs only (an
 * admin's: every job). A deleted job has no view left to say whose it was, so the owners of recently updated jobs are
 * remembered here; the deletion of a job not among them goes to admins only. A client whose key is revoked is
 * disconnected at once; one whose key expires, at its next heartbeat.
 *
 * <p>On shutdown it closes every push connection before the web server's graceful shutdown begins: a stream never
 * ends by itself, and an open one would hold that shutdown for its whole timeout.
 */
@Component
public class LiveHub implements ViewListener, SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

    static final int RECENT = 10_000;
    static final long HEARTBEAT_SECONDS = 15;
    static final int FOLDED_QUEUE = 100_000;
    static final Duration RECENT_KEPT_WITHOUT_CLIENTS = Duration.ofMinutes(5);
    static final int OWNERS_KEPT = 10_000;

    private record Folded(JobEvent event, JobView view) {
    }

    private final LiveMessages messages;
    private final int queueCapacity;
    private final String epoch = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Set<Subscriber>> byJob = new ConcurrentHashMap<>();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Set<Subscriber> everyJob = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<LiveMessage> recent = new ArrayDeque<>();
    private final AtomicLong counter = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong droppedSlow = new AtomicLong();
    private final AtomicLong droppedOverloaded = new AtomicLong();
    /** Owners of recently updated jobs, for their deletion; only the dispatcher thread uses it. */
    private final Map<String, String> owners = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > OWNERS_KEPT;
        }
    };
    private final ExecutorService senders;
    private final ScheduledExecutorService heartbeats;
    private final BlockingQueue<Folded> folded = new ArrayBlockingQueue<>(FOLDED_QUEUE);
    private final Thread dispatcher;
    private final LongSupplier clock;
    private long everyJobSeenAt;
    private boolean everyJobSeen;
    private volatile boolean running;

    @Autowired
    LiveHub(LiveMessages messages, JoblineProperties properties) {
        this(messages, properties, System::nanoTime);
    }

    LiveHub(LiveMessages messages, JoblineProperties properties, LongSupplier clock) {
        this.messages = messages;
        this.clock = clock;
        this.queueCapacity = properties.live().queueCapacity();
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(8, r -> daemon(r, "live-sender-" + threads.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "live-heartbeat"));
        heartbeats.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        this.dispatcher = daemon(this::dispatch, "live-dispatcher");
        dispatcher.start();
    }

    private volatile java.util.function.Predicate<String> revokedKey = keyId -> false;

    /** Clients disconnected since the start because their own queue was full: they did not read fast enough. */
    public long droppedSlowClients() {
        return droppedSlow.get();
    }

    /** Clients disconnected since the start because the hub's queue of folded events was full. */
    public long droppedOverloadedClients() {
        return droppedOverloaded.get();
    }

    Subscriber newSubscriber(Sink sink, Caller caller) {
        Subscriber subscriber = new Subscriber("s" + ids.incrementAndGet(), sink, caller, senders, queueCapacity);
        subscriber.onTooSlow(droppedSlow::incrementAndGet);
        subscriber.onClose(() -> remove(subscriber));
        subscribers.add(subscriber);
        if (caller.keyId() != null && revokedKey.test(caller.keyId())) {
            // Its key was revoked after it was checked, before this connection was registered to be disconnected.
            subscriber.closeQuietly("API key revoked");
        }
        return subscriber;
    }

    /** A connection whose key {@code revoked} says was revoked is closed as it is registered. */
    void refuseKeysWhere(java.util.function.Predicate<String> revoked) {
        this.revokedKey = revoked;
    }

    void follow(Subscriber subscriber, String jobId) {
        subscriber.follow(jobId);
        byJob.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    void unfollow(Subscriber subscriber, String jobId) {
        if ("*".equals(jobId)) {
            everyJob.remove(subscriber);
        } else {
            byJob.computeIfPresent(jobId, (id, set) -> {
                set.remove(subscriber);
                return set.isEmpty() ? null : set;
            });
        }
        subscriber.unfollow(jobId);
    }

    /**
     * Follows every job. With {@code afterStreamId} from this process's stream and still in the recent window,
     * first sends what came after it; otherwise returns false (the client has to refetch what it shows).
     */
    boolean followAll(Subscriber subscriber, String afterStreamId) {
        synchronized (recent) {
            boolean resumed = afterStreamId == null || replayAfter(subscriber, afterStreamId);
            subscriber.follow("*");
            everyJob.add(subscriber);
            return resumed;
        }
    }

    void remove(Subscriber subscriber) {
        subscribers.remove(subscriber);
        everyJob.remove(subscriber);
        subscriber.followedJobs().forEach(jobId -> unfollow(subscriber, jobId));
    }

    /** Disconnects every client that came with this key: it was revoked. */
    void disconnectKey(String keyId) {
        subscribers.stream().filter(s -> keyId.equals(s.caller().keyId())).forEach(s -> s.closeQuietly("API key revoked"));
    }

    private void heartbeat() {
        Instant now = Instant.now();
        for (Subscriber subscriber : subscribers) {
            if (subscriber.caller().isExpired(now)) {
                subscriber.closeQuietly("API key expired");
            } else {
                subscriber.heartbeat();
            }
        }
    }

    /** Called by the projection: only enqueues. */
    @Override
    public void folded(JobEvent event, JobView before, JobView after) {
        folded(event, after);
    }

    /** {@code view}: the job after {@code event}, null when it deleted the job. */
    public void folded(JobEvent event, JobView view) {
        if (!folded.offer(new Folded(event, view))) {
            folded.clear();
            droppedOverloaded.addAndGet(subscribers.size());
            subscribers.forEach(s -> s.closeQuietly("Server overloaded: reconnect and resume with your last seq"));
        }
    }

    private void dispatch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Folded next = folded.take();
                fanOut(next.event(), next.view());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("Could not push an update: {}", e.toString());
            }
        }
    }

    private void fanOut(JobEvent event, JobView view) {
        Set<Subscriber> followers = byJob.get(event.getJobId());
        String owner;
        if (view != null) {
            owner = view.owner();
            owners.put(event.getJobId(), owner);
        } else {
            owner = owners.remove(event.getJobId());
        }
        LiveMessage message = null;
        synchronized (recent) {
            String streamId = epoch + "-" + counter.incrementAndGet();
            if (keepsRecent()) {
                message = messages.forEvent(event, view).withOwner(owner).withStreamId(streamId);
                recent.addLast(message);
                if (recent.size() > RECENT) {
                    recent.removeFirst();
                }
                boolean finished = view == null || view.status().isFinished() || view.status() == JobStatus.DELETED;
                for (Subscriber subscriber : everyJob) {
                    if (subscriber.sees(owner)) {
                        subscriber.deliver(message);
                    }
                    if (finished) {
                        subscriber.forgetFinished(event.getJobId());
                    }
                }
            } else {
                // Nobody to resume: the window restarts empty, so an id from before this gap asks for a refetch.
                recent.clear();
                if (followers != null) {
                    message = messages.forEvent(event, view).withOwner(owner).withStreamId(streamId);
                }
            }
        }
        if (followers != null) {
            for (Subscriber subscriber : followers) {
                if (!everyJob.contains(subscriber)) {
                    subscriber.deliver(message);
                }
            }
        }
    }

    /**
     * Whether the every-job window is kept: while an every-job client is connected, and for
     * {@link #RECENT_KEPT_WITHOUT_CLIENTS} after the last one left, so it can resume. With nobody following every
     * job, no message is built for it (the service's whole update stream, under load thousands a second).
     */
    private boolean keepsRecent() {
        long now = clock.getAsLong();
        if (!everyJob.isEmpty()) {
            everyJobSeenAt = now;
            everyJobSeen = true;
        }
        return everyJobSeen && now - everyJobSeenAt <= RECENT_KEPT_WITHOUT_CLIENTS.toNanos();
    }

    private boolean replayAfter(Subscriber subscriber, String afterStreamId) {
        int dash = afterStreamId.lastIndexOf('-');
        if (dash < 0 || !afterStreamId.substring(0, dash).equals(epoch)) {
            return false;
        }
        long after;
        try {
            after = Long.parseLong(afterStreamId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        LiveMessage oldest = recent.peekFirst();
        if (after < counter.get() && (oldest == null || streamNumber(oldest) > after + 1)) {
            return false;
        }
        for (LiveMessage message : recent) {
            if (streamNumber(message) > after && subscriber.sees(message.owner())) {
                subscriber.send(message);
            }
        }
        return true;
    }

    private static long streamNumber(LiveMessage message) {
        return Long.parseLong(message.streamId().substring(message.streamId().lastIndexOf('-') + 1));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Runs before the web server's graceful shutdown (the default phase stops first). */
    @Override
    public void stop() {
        running = false;
        subscribers.forEach(s -> s.closeQuietly("server shutting down"));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        dispatcher.interrupt();
        stop();
        heartbeats.shutdownNow();
        senders.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
