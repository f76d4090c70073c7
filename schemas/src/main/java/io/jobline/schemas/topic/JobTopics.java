package io.jobline.schemas.topic;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;

import io.jobline.schemas.access.ApiKeyEvent;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.jobtype.JobTypeEvent;
import io.jobline.schemas.offer.JobOffer;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.serde.ConfluentAvroSerde;
import io.jobline.schemas.webhook.WebhookAttempt;
import io.jobline.schemas.webhook.WebhookSubscriptionEvent;
import io.jobline.schemas.worker.WorkerAnnounced;

/**
 * The service's topics. Keys are job ids as UTF-8 strings; values are Avro in the Confluent wire format, subject
 * {@code <topic>-value}. Built once from the configured schema registry.
 */
public final class JobTopics {

    /** Commands: requests to change a job, keyed by job id. */
    public static final String COMMANDS = "job-commands";
    /** Events: the source of truth, keyed by job id. */
    public static final String EVENTS = "job-events";
    /**
     * Pending jobs any free worker of their type may take, keyed by job id. One partition, so that every member of a
     * share group reads all of it: a record one worker released is at once there for the others.
     */
    public static final String OFFERS = "job-offers";
    /** Job types declared at runtime, keyed by name: one partition, kept forever, folded by every instance. */
    public static final String JOB_TYPES = "job-types";
    /**
     * API keys, keyed by key id: one partition, compacted (a key's last record stays: a revocation is a record, not a
     * tombstone), folded by every instance. Holds hashes of keys, never keys.
     */
    public static final String API_KEYS = "api-keys";
    /**
     * Owners' webhook subscriptions, keyed by subscription id: one partition, compacted (the last record of each
     * stays), folded by every instance.
     */
    public static final String WEBHOOK_SUBSCRIPTIONS = "webhook-subscriptions";
    /**
     * Every try to deliver a webhook, keyed by job id and partitioned as job-events: what the webhook deliveries
     * fold together with the events that asked for them.
     */
    public static final String WEBHOOK_ATTEMPTS = "webhook-attempts";
    /**
     * The workers every instance sees (its in-process runner, the external workers that call it), keyed by
     * {@code <instance>/<worker id>}: one partition, compacted (a worker's last announcement stays until its
     * tombstone), folded by every instance into the list of workers.
     */
    public static final String WORKERS = "workers";
    /**
     * Records that could not be deserialized or handled, as they were, with the reason in headers
     * ({@code __streams.errors.exception}, {@code .message}, {@code .stacktrace}, {@code .topic}, {@code .partition},
     * {@code .offset}).
     */
    public static final String DEAD_LETTERS = "jobline-dead-letters";

    private final Topic<String, JobCommand> commands;
    private final Topic<String, JobEvent> events;
    private final Topic<String, JobOffer> offers;
    private final Topic<String, JobTypeEvent> jobTypes;
    private final Topic<String, ApiKeyEvent> apiKeys;
    private final Topic<String, WebhookSubscriptionEvent> webhookSubscriptions;
    private final Topic<String, WebhookAttempt> webhookAttempts;
    private final Topic<String, WorkerAnnounced> workers;

    public JobTopics(SchemaRegistry registry) {
        this.commands = new Topic<>(COMMANDS, Serdes.String(), ConfluentAvroSerde.forValues(registry, JobCommand.getClassSchema()));
        this.events = new Topic<>(EVENTS, Serdes.String(), ConfluentAvroSerde.forValues(registry, JobEvent.getClassSchema()));
        this.offers = new Topic<>(OFFERS, Serdes.String(), ConfluentAvroSerde.forValues(registry, JobOffer.getClassSchema()));
        this.jobTypes = new Topic<>(JOB_TYPES, Serdes.String(), ConfluentAvroSerde.forValues(registry, JobTypeEvent.getClassSchema()));
        this.apiKeys = new Topic<>(API_KEYS, Serdes.String(), ConfluentAvroSerde.forValues(registry, ApiKeyEvent.getClassSchema()));
        this.webhookSubscriptions = new Topic<>(WEBHOOK_SUBSCRIPTIONS, Serdes.String(),
                ConfluentAvroSerde.forValues(registry, WebhookSubscriptionEvent.getClassSchema()));
        this.webhookAttempts = new Topic<>(WEBHOOK_ATTEMPTS, Serdes.String(),
                ConfluentAvroSerde.forValues(registry, WebhookAttempt.getClassSchema()));
        this.workers = new Topic<>(WORKERS, Serdes.String(), ConfluentAvroSerde.forValues(registry, WorkerAnnounced.getClassSchema()));
    }

    public Topic<String, JobCommand> commands() {
        return commands;
    }

    public Topic<String, JobEvent> events() {
        return events;
    }

    public Topic<String, JobOffer> offers() {
        return offers;
    }

    public Topic<String, JobTypeEvent> jobTypes() {
        return jobTypes;
    }

    public Topic<String, ApiKeyEvent> apiKeys() {
        return apiKeys;
    }

    public Topic<String, WebhookSubscriptionEvent> webhookSubscriptions() {
        return webhookSubscriptions;
    }

    public Topic<String, WebhookAttempt> webhookAttempts() {
        return webhookAttempts;
    }

    public Topic<String, WorkerAnnounced> workers() {
        return workers;
    }

    /** The value schema the code writes to each topic, by subject. */
    public static Map<String, Schema> valueSchemasBySubject() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(COMMANDS + "-value", JobCommand.getClassSchema());
        schemas.put(EVENTS + "-value", JobEvent.getClassSchema());
        schemas.put(OFFERS + "-value", JobOffer.getClassSchema());
        schemas.put(JOB_TYPES + "-value", JobTypeEvent.getClassSchema());
        schemas.put(API_KEYS + "-value", ApiKeyEvent.getClassSchema());
        schemas.put(WEBHOOK_SUBSCRIPTIONS + "-value", WebhookSubscriptionEvent.getClassSchema());
        schemas.put(WEBHOOK_ATTEMPTS + "-value", WebhookAttempt.getClassSchema());
        schemas.put(WORKERS + "-value", WorkerAnnounced.getClassSchema());
        return schemas;
    }
}
