package io.jobline.api.workers.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.KafkaSettings;
import io.jobline.processor.JobProcessor;
import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.topic.Topic;
import io.jobline.schemas.worker.HeldAttempt;
import io.jobline.schemas.worker.WorkerAnnounced;
import io.jobline.schemas.worker.WorkerKind;

/**
 * Announces this instance's workers on the workers topic: its in-process runner and the external workers that call
 * it. Looks every second (or half a heartbeat, when shorter) and announces a worker whose state changed, and every
 * worker once a heartbeat interval has passed; an external worker not seen for the registry's drop time is
 * forgotten with a tombstone. A graceful stop writes a tombstone for everything it announced.
 */
@Component
class AnnounceWorkersTask implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnnounceWorkersTask.class);

    private final JobRunner runner;
    private final ExternalWorkers external;
    private final WorkerRegistryProperties settings;
    private final KafkaProducer<String, WorkerAnnounced> producer;
    private final String topic;
    private final String instance;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt = clock.instant();
    private final ScheduledExecutorService executor;
    /** What was announced last under each key, and when. */
    private final Map<String, Announced> announced = new HashMap<>();

    private record Announced(WorkerSnapshot snapshot, Instant at) {
    }

    AnnounceWorkersTask(ObjectProvider<JobProcessor> processor, ExternalWorkers external, KafkaSettings kafka,
                        JobTopics topics, DataDirectory data, WorkerRegistryProperties settings) {
        JobProcessor local = processor.getIfAvailable();
        this.runner = local == null ? null : local.runner();
        this.external = external;
        this.settings = settings;
        this.instance = instanceName(data);
        Topic<String, WorkerAnnounced> workers = topics.workers();
        this.topic = workers.name();
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(config, workers.keySerde().serializer(), workers.valueSerde().serializer());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "announce-workers");
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = Math.max(100, Math.min(1000, settings.heartbeatInterval().toMillis() / 2));
        executor.scheduleWithFixedDelay(this::announceSafely, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The instance's name in the registry: the host, and the data folder's instance id (stable across restarts). */
    static String instanceName(DataDirectory data) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "instance";
        }
        return host + "-" + data.instanceId().substring(0, Math.min(8, data.instanceId().length()));
    }

    private void announceSafely() {
        try {
            announce();
        } catch (RuntimeException e) {
            log.warn("Could not announce this instance's workers: {}", e.toString());
        }
    }

    private synchronized void announce() {
        Instant now = clock.instant();
        List<WorkerSnapshot> current = new ArrayList<>();
        if (runner != null) {
            Map<String, Integer> running = runner.runningAttempts();
            current.add(new WorkerSnapshot(runner.workerId(), WorkerSnapshot.Kind.IN_PROCESS, List.copyOf(new TreeSet<>(runner.typeNames())),
                    runner.concurrency(), running.size(), WorkerSnapshot.attempts(running), startedAt, now));
        }
        current.addAll(external.snapshot());
        Set<String> keys = new HashSet<>();
        for (WorkerSnapshot worker : current) {
            if (worker.kind() == WorkerSnapshot.Kind.EXTERNAL
                    && Duration.between(worker.lastSeenAt(), now).compareTo(settings.dropAfter()) > 0) {
                external.forget(worker.workerId());
                continue;
            }
            String key = instance + "/" + worker.workerId();
            keys.add(key);
            Announced last = announced.get(key);
            if (isDue(last == null ? null : last.snapshot(), last == null ? null : last.at(), worker, now, settings.heartbeatInterval())) {
                producer.send(new ProducerRecord<>(topic, key, record(worker, now)), this::onSent);
                announced.put(key, new Announced(worker, now));
            }
        }
        List<String> gone = announced.keySet().stream().filter(k -> !keys.contains(k)).toList();
        gone.forEach(this::tombstone);
    }

    /** Announce when the worker is new or changed, or a heartbeat interval passed since its last announcement. */
    static boolean isDue(WorkerSnapshot last, Instant lastAt, WorkerSnapshot now, Instant at, Duration heartbeat) {
        return last == null || !now.sameStateAs(last) || !at.isBefore(lastAt.plus(heartbeat));
    }

    private WorkerAnnounced record(WorkerSnapshot worker, Instant now) {
        List<HeldAttempt> jobs = worker.jobs().stream().map(a -> new HeldAttempt(a.jobId(), a.attempt())).toList();
        boolean inProcess = worker.kind() == WorkerSnapshot.Kind.IN_PROCESS;
        return WorkerAnnounced.newBuilder()
                .setWorkerId(worker.workerId())
                .setKind(inProcess ? WorkerKind.IN_PROCESS : WorkerKind.EXTERNAL)
                .setInstance(instance)
                .setTypes(worker.types())
                .setSlotsTotal(worker.slotsTotal())
                .setSlotsInUse(worker.slotsInUse())
                .setJobs(jobs)
                .setStartedAt(worker.startedAt())
                .setLastSeenAt(worker.lastSeenAt())
                .setAnnouncedAt(now)
                .setHeartbeatIntervalMs(settings.heartbeatInterval().toMillis())
                .setLostAfterMs((inProcess ? settings.inProcessLostAfter() : settings.lostAfter()).toMillis())
                .build();
    }

    private void tombstone(String key) {
        producer.send(new ProducerRecord<>(topic, key, null), this::onSent);
        announced.remove(key);
    }

    private void onSent(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception error) {
        if (error != null) {
            log.debug("An announcement of a worker was not written: {}", error.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        try {
            synchronized (this) {
                List.copyOf(announced.keySet()).forEach(this::tombstone);
            }
            producer.flush();
        } catch (RuntimeException e) {
            log.warn("Could not withdraw this instance's workers from the registry: {}", e.toString());
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
