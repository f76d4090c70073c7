package io.jobline.api.jobtypes;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.jobline.api.system.TopicFold;
import io.jobline.schemas.jobtype.JobTypeDeclared;
import io.jobline.schemas.jobtype.JobTypeDeleted;
import io.jobline.schemas.jobtype.JobTypeEvent;
import io.jobline.schemas.topic.Topic;

/**
 * Every instance's view of the job types declared at runtime: the fold of job-types ({@link TopicFold}). A change
 * applies only when its version is one more than the type's current one, so every instance folds the same log to
 * the same catalog, and of two racing writers the first in the log wins.
 */
public final class JobTypeCatalog implements AutoCloseable {

    /** A type's current version; {@code current} is null once deleted (its version counts on). */
    private record Entry(int version, DeclaredJobType current, String lastEventId) {
    }

    private final Map<String, Entry> types = new HashMap<>();
    private final TopicFold<JobTypeEvent> fold;

    public JobTypeCatalog(Map<String, Object> clientConfig, Topic<String, JobTypeEvent> topic) {
        this.fold = new TopicFold<>("job-type-catalog", clientConfig, topic, this, this::apply, () -> { });
    }

    /** Whether every change appended before this instance started has been folded. */
    public boolean isCaughtUp() {
        return fold.isCaughtUp();
    }

    public synchronized Optional<DeclaredJobType> find(String name) {
        Entry entry = types.get(name);
        return Optional.ofNullable(entry == null ? null : entry.current());
    }

    /** The version the next change of this type must have. */
    synchronized int nextVersion(String name) {
        Entry entry = types.get(name);
        return entry == null ? 1 : entry.version() + 1;
    }

    public synchronized Collection<DeclaredJobType> all() {
        Map<String, DeclaredJobType> sorted = new TreeMap<>();
        types.forEach((name, entry) -> {
            if (entry.current() != null) {
                sorted.put(name, entry.current());
            }
        });
        return List.copyOf(sorted.values());
    }

    /** Appends a change of a type, acknowledged by Kafka (not yet folded here: see {@link #awaitApplied}). */
    void append(JobTypeEvent change) {
        fold.append(change.getName(), change, "job type");
    }

    /**
     * Waits until the type has reached {@code version} (by any writer), at most {@code timeout}; true when the
     * change that got there is the event {@code eventId}.
     */
    synchronized boolean awaitApplied(String name, int version, String eventId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Entry entry = types.get(name);
            if (entry != null && entry.version() >= version) {
                return entry.version() == version && eventId.equals(entry.lastEventId());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Called by the fold, holding this catalog's monitor. */
    private void apply(JobTypeEvent event) {
        Entry entry = types.get(event.getName());
        int expected = entry == null ? 1 : entry.version() + 1;
        if (event.getVersion() != expected) {
            return; // lost a race with the change that took this version
        }
        if (event.getPayload() instanceof JobTypeDeclared declared) {
            types.put(event.getName(), new Entry(event.getVersion(), DeclaredJobType.of(event, declared), event.getEventId()));
        } else if (event.getPayload() instanceof JobTypeDeleted) {
            types.put(event.getName(), new Entry(event.getVersion(), null, event.getEventId()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        fold.close();
    }
}
