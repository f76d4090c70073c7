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
    private static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final KafkaConsumer<String, JobEvent> consumer;
    private final LiveHub hub;
    private final JobQueries queries;
    private final Map<String, JobView> views = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobView> eldest) {
            return size() > MAX_VIEWS;
        }
    };
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
     * of it, and the events it has not folded yet (it may be a moment behind this feed).
     */
    private Optional<JobView> base(JobEvent event) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            try {
                Optional<JobView> found = queries.find(event.getJobId());
                if (found.isPresent()) {
                    JobView view = found.get();
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
                if (System.nanoTime() > deadline) {
                    log.debug("No view of job {} to push its update from: {}", event.getJobId(), e.toString());
                    return Optional.empty();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
