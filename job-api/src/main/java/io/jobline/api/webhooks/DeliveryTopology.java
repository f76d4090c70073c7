package io.jobline.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.jobline.api.webhooks.WebhookJob.Attempt;
import io.jobline.api.webhooks.WebhookJob.Delivery;
import io.jobline.core.support.StateSerde;
import io.jobline.core.tracing.JobTracing;
import io.jobline.schemas.common.Notify;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.webhook.WebhookAttempt;

/**
 * Webhooks driven from the event log (Kafka Streams application {@value #APPLICATION_ID}). From job-events, each
 * event a destination asked for becomes a pending delivery in the job's entry of {@value #JOBS_STORE}, with its due
 * time in {@value #DUE_STORE}; a due delivery is handed to the {@link Dispatcher} (at once, and by a wall-clock
 * punctuation every {@value #PUNCTUATE_MS} ms), which appends the outcome of each try to webhook-attempts; folding
 * that try here records it and schedules the next one, or ends the delivery. Both topics are keyed by job id and
 * share their partition count, so a job's deliveries and tries meet in one task.
 *
 * <p>A delivery is committed with the event that asked for it, before anything is sent: a crash at any point leaves
 * it pending in the store, and it is tried again after the restart (at least once; a try whose outcome was not
 * recorded is made again, with the same webhook-id, which lets a receiver drop the repeat).
 */
final class DeliveryTopology {

    static final String APPLICATION_ID = "jobline-webhooks";
    static final String JOBS_STORE = "webhook-jobs";
    static final String DUE_STORE = "webhook-due";
    static final long PUNCTUATE_MS = 250;
    /** Most deliveries handed out by one punctuation of one task. */
    static final int MAX_DISPATCH_PER_PUNCTUATION = 200;

    private DeliveryTopology() {
    }

    /** Who, besides a job's own notify, is told about a job's events: owners' subscriptions. */
    interface Subscribers {

        /** Whether {@code owner} has a subscription for jobs of {@code type}. */
        boolean any(String owner, String type);

        /**
         * The subscriptions of {@code owner} that want events of {@code kind} of a job of {@code type} submitted at
         * {@code submittedAt} (made by then; null: any).
         */
        List<Target> matching(String owner, String type, String kind, Instant submittedAt);
    }

    /** A destination: a subscription's id and URL. */
    record Target(String subscription, String url) {
    }

    /** One try to send: what the sender needs, nothing it must look up. */
    record Send(String jobId, String owner, String deliveryId, String url, String eventType, String body,
                String traceparent, int attempt) {
    }

    /** Sends tries away from the stream thread; the outcome comes back through webhook-attempts. */
    interface Dispatcher {

        /** Whether another try can be taken now (a full sender is asked again at the next punctuation). */
        boolean hasCapacity();

        void dispatch(Send send);
    }

    /**
     * @param retryDelays  the wait after each failed try; one try more than there are delays
     * @param lifetime     events older than this when read are not sent (a replay of old history sends nothing)
     * @param inFlightFor  how long a try handed out counts as under way, before it is handed out again
     */
    record Schedule(List<Duration> retryDelays, Duration lifetime, Duration inFlightFor) {
    }

    static Topology build(JobTopics topics, Subscribers subscribers, Dispatcher dispatcher, Schedule schedule) {
        Topology topology = new Topology();
        topology.addSource("job-events", topics.events().keySerde().deserializer(),
                topics.events().valueSerde().deserializer(), topics.events().name());
        topology.addSource("webhook-attempts", topics.webhookAttempts().keySerde().deserializer(),
                topics.webhookAttempts().valueSerde().deserializer(), topics.webhookAttempts().name());
        topology.addProcessor("deliveries", () -> new Deliveries(subscribers, dispatcher, schedule),
                "job-events", "webhook-attempts");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(),
                new StateSerde<>(WebhookJob.class)), "deliveries");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE_STORE), Serdes.String(),
                Serdes.String()), "deliveries");
        return topology;
    }

    /** The delivery id: one per event and destination, the same whenever the event is read again. */
    static String deliveryId(String eventId, String subscription) {
        String destination = subscription == null ? "notify" : "subscription:" + subscription;
        return "msg_" + UUID.nameUUIDFromBytes((eventId + "/" + destination).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    /** Due-index keys sort by due time: 16 hex digits of the epoch milliseconds, the job, the delivery. */
    static String dueKey(Instant due, String jobId, String deliveryId) {
        return String.format("%016x", due.toEpochMilli()) + "|" + jobId + "|" + deliveryId;
    }

    private static final class Deliveries implements Processor<String, Object, Void, Void> {

        private final Subscribers subscribers;
        private final Dispatcher dispatcher;
        private final Schedule schedule;
        /** Delivery id → until when its try counts as under way (this task's own hand-outs only). */
        private final Map<String, Long> inFlight = new HashMap<>();
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, WebhookJob> jobs;
        private KeyValueStore<String, String> due;

        Deliveries(Subscribers subscribers, Dispatcher dispatcher, Schedule schedule) {
            this.subscribers = subscribers;
            this.dispatcher = dispatcher;
            this.schedule = schedule;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.jobs = context.getStateStore(JOBS_STORE);
            this.due = context.getStateStore(DUE_STORE);
            context.schedule(Duration.ofMillis(PUNCTUATE_MS), PunctuationType.WALL_CLOCK_TIME, this::dispatchDue);
        }

        @Override
        public void process(Record<String, Object> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            if (record.value() instanceof JobEvent event) {
                folded(event, record.headers());
            } else if (record.value() instanceof WebhookAttempt attempt) {
                tried(attempt);
            }
        }

        private void folded(JobEvent event, Headers headers) {
            String jobId = event.getJobId();
            Object payload = event.getPayload();
            if (payload instanceof JobSubmitted submitted) {
                Notify notify = submitted.getNotify();
                if (notify != null || subscribers.any(submitted.getOwner(), submitted.getType())) {
                    jobs.put(jobId, new WebhookJob(submitted.getOwner(), submitted.getType(),
                            notify == null ? null : notify.getUrl(), notify == null ? List.of() : notify.getEvents(),
                            List.of(), event.getTimestamp()));
                }
                return;
            }
            if (payload instanceof JobDeleted) {
                WebhookJob job = jobs.delete(jobId);
                if (job != null) {
                    job.deliveries().stream().filter(d -> d.nextAttemptAt() != null)
                            .forEach(d -> due.delete(dueKey(d.nextAttemptAt(), jobId, d.id())));
                }
                return;
            }
            String kind = WebhookEvents.kindOf(event);
            if (kind == null) {
                return;
            }
            WebhookJob job = jobs.get(jobId);
            if (job == null) {
                return;
            }
            long now = context.currentSystemTimeMs();
            if (event.getTimestamp().plus(schedule.lifetime()).toEpochMilli() < now) {
                return;
            }
            List<Target> targets = new ArrayList<>();
            if (job.notifyUrl() != null && job.notifyEvents().contains(kind)) {
                targets.add(new Target(null, job.notifyUrl()));
            }
            targets.addAll(subscribers.matching(job.owner(), job.type(), kind, job.submittedAt()));
            if (targets.isEmpty()) {
                return;
            }
            String body = WebhookEvents.body(event, job.type());
            String traceparent = JobTracing.traceparent(JobTracing.fromHeaders(headers, null));
            Instant at = Instant.ofEpochMilli(now);
            List<Delivery> made = new ArrayList<>();
            WebhookJob updated = job;
            for (Target target : targets) {
                String id = deliveryId(event.getEventId(), target.subscription());
                if (updated.delivery(id).isPresent()) {
                    continue; // the event read again after a crash: already asked for
                }
                Delivery delivery = new Delivery(id, target.subscription(), target.url(), WebhookEvents.typeOf(event),
                        event.getSequence(), body, traceparent, at, Delivery.Status.PENDING, at, List.of());
                updated = updated.with(delivery);
                made.add(delivery);
            }
            if (made.isEmpty()) {
                return;
            }
            dropIndexOfPruned(job, updated, jobId);
            jobs.put(jobId, updated);
            for (Delivery delivery : made) {
                due.put(dueKey(at, jobId, delivery.id()), jobId);
                if (dispatcher.hasCapacity()) {
                    dispatch(updated, jobId, delivery, now);
                }
            }
        }

        /** Deliveries pruned from a job's entry leave the due index too. */
        private void dropIndexOfPruned(WebhookJob before, WebhookJob after, String jobId) {
            for (Delivery old : before.deliveries()) {
                if (old.nextAttemptAt() != null && after.delivery(old.id()).isEmpty()) {
                    due.delete(dueKey(old.nextAttemptAt(), jobId, old.id()));
                }
            }
        }

        private void tried(WebhookAttempt tried) {
            String jobId = tried.getJobId();
            inFlight.remove(tried.getDeliveryId());
            WebhookJob job = jobs.get(jobId);
            if (job == null) {
                return;
            }
            Delivery delivery = job.delivery(tried.getDeliveryId()).orElse(null);
            if (delivery == null || delivery.status() != Delivery.Status.PENDING
                    || tried.getAttempt() != delivery.attempts().size() + 1) {
                return; // a repeat of a try already folded, or of a delivery that ended
            }
            Attempt attempt = new Attempt(tried.getAttempt(), tried.getTimestamp(), tried.getStatusCode(), tried.getError(),
                    tried.getDurationMs(), tried.getDelivered());
            Delivery after;
            if (tried.getDelivered()) {
                after = delivery.after(attempt, Delivery.Status.DELIVERED, null);
            } else if (tried.getAttempt() > schedule.retryDelays().size()) {
                after = delivery.after(attempt, Delivery.Status.FAILED, null);
            } else {
                Instant next = tried.getTimestamp().plusMillis(tried.getDurationMs())
                        .plus(schedule.retryDelays().get(tried.getAttempt() - 1));
                after = delivery.after(attempt, Delivery.Status.PENDING, next);
            }
            due.delete(dueKey(delivery.nextAttemptAt(), jobId, delivery.id()));
            if (after.nextAttemptAt() != null) {
                due.put(dueKey(after.nextAttemptAt(), jobId, delivery.id()), jobId);
            }
            jobs.put(jobId, job.replacing(after));
        }

        /** Hands out the deliveries whose time has come, oldest due first, while the sender has room. */
        private void dispatchDue(long now) {
            inFlight.values().removeIf(until -> until < now);
            List<KeyValue<String, String>> ready = new ArrayList<>();
            try (KeyValueIterator<String, String> it = due.range(String.format("%016x", 0L), String.format("%016x", now) + "|~")) {
                while (it.hasNext() && ready.size() < MAX_DISPATCH_PER_PUNCTUATION) {
                    KeyValue<String, String> entry = it.next();
                    String deliveryId = entry.key.substring(entry.key.lastIndexOf('|') + 1);
                    if (!inFlight.containsKey(deliveryId)) {
                        ready.add(entry);
                    }
                }
            }
            for (KeyValue<String, String> entry : ready) {
                if (!dispatcher.hasCapacity()) {
                    return;
                }
                String deliveryId = entry.key.substring(entry.key.lastIndexOf('|') + 1);
                WebhookJob job = jobs.get(entry.value);
                Delivery delivery = job == null ? null : job.delivery(deliveryId).orElse(null);
                if (delivery == null || delivery.status() != Delivery.Status.PENDING) {
                    due.delete(entry.key); // left over from an entry pruned or deleted
                    continue;
                }
                dispatch(job, entry.value, delivery, now);
            }
        }

        private void dispatch(WebhookJob job, String jobId, Delivery delivery, long now) {
            inFlight.put(delivery.id(), now + schedule.inFlightFor().toMillis());
            dispatcher.dispatch(new Send(jobId, job.owner(), delivery.id(), delivery.url(), delivery.eventType(),
                    delivery.body(), delivery.traceparent(), delivery.attempts().size() + 1));
        }
    }
}
