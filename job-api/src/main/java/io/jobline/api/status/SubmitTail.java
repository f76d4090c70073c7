package io.jobline.api.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.system.KafkaSettings;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.topic.JobTopics;

/**
 * Read-your-writes across instances: every instance tails job-commands (every partition, from its end, no group)
 * and keeps the jobs submitted through any instance for a minute, so a GET on instance B right after instance A
 * answered 202 finds the job before its JobSubmitted is decided and folded. Consulted only when a job is found
 * nowhere else: then it first reads up to where job-commands ended when the request came, so a submit acknowledged
 * before the GET was sent is always seen.
 */
public final class SubmitTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SubmitTail.class);
    static final Duration KEEP = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 200_000;

    private final KafkaConsumer<String, JobCommand> consumer;
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Map<String, Seen> submitted = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Thread thread;
    private volatile boolean closed;

    private record Seen(JobView job, String commandId, Instant at) {
    }

    public SubmitTail(KafkaSettings kafka, JobTopics topics) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = new KafkaConsumer<>(config, topics.commands().keySerde().deserializer(),
                topics.commands().valueSerde().deserializer());
        this.admin = Admin.create(kafka.clientConfig());
        List<PartitionInfo> infos = consumer.partitionsFor(topics.commands().name(), Duration.ofSeconds(30));
        this.partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(p -> positions.put(p, consumer.position(p)));
        this.thread = new Thread(this::run, "submit-tail");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A job submitted through any instance in the last minute, as its JobSubmitted will show it; reads the commands
     * appended until now first (at most {@code wait}).
     */
    public Optional<JobView> find(String jobId, Duration wait) {
        Optional<JobView> seen = peek(jobId);
        if (seen.isEmpty() && awaitEndOfNow(wait)) {
            seen = peek(jobId);
        }
        return seen;
    }

    /**
     * A job submitted through any instance in the last minute, as far as this tail has read (no waiting). Not a job
     * with a dedup key: the decider may have refused it, and its instance answered only once it was decided and
     * projected.
     */
    public Optional<JobView> peek(String jobId) {
        return Optional.ofNullable(fresh(jobId)).map(Seen::job).filter(job -> job.dedupKey() == null);
    }

    /** A submit seen in the last minute; older ones are the projections' to answer for (deleted jobs included). */
    private Seen fresh(String jobId) {
        Seen seen = submitted.get(jobId);
        if (seen != null && seen.at().plus(KEEP).isBefore(clock.instant())) {
            submitted.remove(jobId, seen);
            return null;
        }
        return seen;
    }

    private boolean awaitEndOfNow(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all()
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
            while (System.nanoTime() < deadline) {
                if (ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue().offset())) {
                    return true;
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Could not read where job-commands ends: {}", e.toString());
        }
        return false;
    }

    private void run() {
        try {
            while (!closed) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, JobCommand> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    // A poison record (the Streams applications dead-letter it): skip it.
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, JobCommand> record : records) {
                    JobCommand command = record.value();
                    if (command != null && command.getPayload() instanceof SubmitJob) {
                        remember(RecentSubmissions.viewOf(command), command.getCommandId());
                    }
                }
                partitions.forEach(p -> positions.put(p, consumer.position(p)));
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The tail of job-commands stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The first SubmitJob of a job id, in its partition's order, is the one the decider accepts: a later one for the
     * same id (an Idempotency-Key sent to two instances at once) is kept out, so {@link #first} names the winner.
     */
    private void remember(JobView job, String commandId) {
        Instant now = clock.instant();
        if (submitted.size() >= MAX_ENTRIES) {
            submitted.values().removeIf(seen -> seen.at().plus(KEEP).isBefore(now));
        }
        if (submitted.size() < MAX_ENTRIES) {
            submitted.putIfAbsent(job.jobId(), new Seen(job, commandId, now));
        }
    }

    /** The SubmitJob the decider takes for {@code jobId}: its command id and the job it makes. */
    public record First(String commandId, JobView job) {
    }

    /**
     * The first SubmitJob for {@code jobId} on job-commands, read up to where the topic ends now (so a command
     * acknowledged before this call is among those read); empty when none was seen within {@code wait}.
     */
    public Optional<First> first(String jobId, Duration wait) {
        return first(List.of(jobId), wait).get(0);
    }

    /** {@link #first} of each of {@code jobIds}, reading job-commands up to its end once. */
    public List<Optional<First>> first(List<String> jobIds, Duration wait) {
        awaitEndOfNow(wait);
        return jobIds.stream().map(jobId -> Optional.ofNullable(fresh(jobId)).map(seen -> new First(seen.commandId(), seen.job())))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
        admin.close(Duration.ofSeconds(5));
    }
}
