package io.jobline.api.live;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.system.KafkaSettings;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.topic.JobTopics;

/**
 * Live push from any instance of a cluster: each instance reads every partition of job-events (from its end,
 * committed records only, no group) and hands every event to its {@link LiveHub}, with the job's view after it, so
 * a client on any instance gets every update of the jobs it follows, whichever instance's projection holds them.
 * The views are folded here from the events (the same fold as the projection's); a job first seen in the middle of
 * its history starts from its view as the cluster's projection has it (asked of the instance that holds it).
 * Subscribers drop what they sent already (by each job's sequence), so an event is never pushed twice.
 */
public final class ClusterLiveFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterLiveFeed.class);
    static final int MAX_VIEWS = 100_000;
    /** How long a job's view may lag behind this feed before its update is pushed from what the view has. */
    private static final Duration CATCH_UP = Duration.ofSeconds(2);
    /**
     * How long the feed waits for the instance holding a job met mid-history to answer (it may be restarting, or its
     * partition moving): the feed stops meanwhile, so no update is dropped, only delayed.
     */
    private static final Duration UNAVAILABLE = Duration.ofSeconds(60);

    private final KafkaConsumer<String, JobEvent> consumer;
    private final LiveHub hub;
    private final JobQueries queries;
    /** The views this feed folded, the least recently used dropped first; read by subscribers' threads too. */
    private final Map<String, JobView> views = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobView> eldest) {
            return size() > MAX_VIEWS;
        }
    });
    private final Thread thread;
    private volatile boolean closed;

    public ClusterLiveFeed(KafkaSettings kafka, JobTopics topics, LiveHub hub, JobQueries queries) {
        this.hub = hub;
        this.queries = queries;
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = new KafkaConsumer<>(config, topics.events().keySerde().deserializer(),
                topics.events().valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topics.events().name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "live-cluster-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, JobEvent> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    // A poison record (the Streams applications dead-letter it): skip it.
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, JobEvent> record : records) {
                    JobEvent event = record.value();
                    if (event == null) {
                        continue;
                    }
                    try {
                        Folded folded = fold(event);
                        if (folded.known()) {
                            hub.folded(event, folded.view());
                        }
                    } catch (RuntimeException e) {
                        log.warn("Could not push event {} of job {}: {}", event.getSequence(), event.getJobId(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The cluster's live feed stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The job's view after an event (null: deleted), or not known (a job this feed could find nowhere). */
    record Folded(boolean known, JobView view) {
    }

    Folded fold(JobEvent event) {
        String jobId = event.getJobId();
        JobView before = views.get(jobId);
        if (before == null && event.getPayload() instanceof io.jobline.schemas.event.JobDeleted) {
            return new Folded(true, null); // a job deleted (retention) that nobody here followed: nothing to look up
        }
        if (before == null && event.getPayload() instanceof io.jobline.schemas.event.SubmitRefused) {
            return new Folded(false, null); // no job was made: nothing to push
        }
        if (before == null && !(event.getPayload() instanceof JobSubmitted)) {
            before = base(event).orElse(null);
            if (before == null) {
                return new Folded(false, null);
            }
        }
        if (before != null && before.lastSequence() >= event.getSequence()) {
            views.put(jobId, before);
            return new Folded(true, before); // the base has it already
        }
        JobView after = JobViewFold.apply(before, event);
        if (after == null) {
            views.remove(jobId);
        } else {
            views.put(jobId, after);
        }
        return new Folded(true, after);
    }

    /**
     * The view of a job met in the middle of its history, up to just before {@code event}: the cluster's projection
     * of it, and the events it has not folded yet (it may be a moment behind this feed). While the instance holding
     * it cannot answer (a restart, a rebalance), the feed waits: a follower of every job must not miss the update.
     */
    private Optional<JobView> base(JobEvent event) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        long unavailableDeadline = System.nanoTime() + UNAVAILABLE.toNanos();
        while (true) {
            try {
                Optional<JobView> found = queries.find(event.getJobId());
                if (found.isPresent()) {
                    JobView view = found.get();
                    if (view.lastSequence() >= event.getSequence()) {
                        // Ahead of this event (this feed is behind): a status pushed from it would carry a later
                        // sequence number and hide the updates in between; the view just before the event is folded
                        // from the job's history instead.
                        JobView before = null;
                        for (JobEvent earlier : queries.history(event.getJobId(), 0, (int) (event.getSequence() - 1))) {
                            if (earlier.getSequence() < event.getSequence()) {
                                before = JobViewFold.apply(before, earlier);
                            }
                        }
                        return Optional.of(before != null ? before : view);
                    }
                    if (view.lastSequence() < event.getSequence() - 1) {
                        for (JobEvent missed : queries.history(event.getJobId(), view.lastSequence(),
                                (int) (event.getSequence() - 1 - view.lastSequence()))) {
                            view = JobViewFold.apply(view, missed);
                        }
                    }
                    if (view.lastSequence() >= event.getSequence() - 1 || System.nanoTime() > deadline) {
                        return Optional.of(view);
                    }
                } else {
                    return Optional.empty(); // the cluster does not know the job: no reason to wait
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > unavailableDeadline) {
                    log.warn("No view of job {} to push its update from for {} s: {}", event.getJobId(),
                            UNAVAILABLE.toSeconds(), e.toString());
                    return Optional.empty();
                }
            }
            if (closed) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * The sequence number of the last update of {@code jobId} this feed handed to the hub (0: none): the holder's
     * projection may not have folded that far yet, and a subscriber resuming the job waits until it has.
     */
    public long lastSequence(String jobId) {
        JobView view = views.get(jobId);
        return view == null ? 0 : view.lastSequence();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
