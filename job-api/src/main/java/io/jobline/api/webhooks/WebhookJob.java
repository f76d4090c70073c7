package io.jobline.api.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the webhook deliverer keeps of a job (store {@code webhook-jobs}): whose it is, its own webhook, and its
 * deliveries, newest last. Kept for jobs submitted with a {@code notify} or while their owner has a subscription.
 *
 * @param notifyUrl    the job's own webhook, or null
 * @param notifyEvents which kinds of its events go there (terminal, stage, progress)
 * @param submittedAt  when the job was submitted: subscriptions made later do not cover it (null: kept before this
 *                     was recorded)
 */
record WebhookJob(String owner, String type, String notifyUrl, List<String> notifyEvents, List<Delivery> deliveries,
                  Instant submittedAt) {

    /** At most this many deliveries are kept per job: the oldest finished ones go first, then the oldest. */
    static final int MAX_DELIVERIES = 200;

    WebhookJob {
        notifyEvents = notifyEvents == null ? List.of() : List.copyOf(notifyEvents);
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    Optional<Delivery> delivery(String id) {
        return deliveries.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    WebhookJob with(Delivery delivery) {
        List<Delivery> all = new ArrayList<>(deliveries);
        all.removeIf(d -> d.id().equals(delivery.id()));
        all.add(delivery);
        for (int i = 0; all.size() > MAX_DELIVERIES && i < all.size(); ) {
            if (all.get(i).status() != Delivery.Status.PENDING) {
                all.remove(i);
            } else {
                i++;
            }
        }
        while (all.size() > MAX_DELIVERIES) {
            all.remove(0); // still too many (a receiver down under a stream of progress): the oldest go
        }
        return new WebhookJob(owner, type, notifyUrl, notifyEvents, all, submittedAt);
    }

    WebhookJob replacing(Delivery delivery) {
        List<Delivery> all = new ArrayList<>(deliveries);
        all.replaceAll(d -> d.id().equals(delivery.id()) ? delivery : d);
        return new WebhookJob(owner, type, notifyUrl, notifyEvents, all, submittedAt);
    }

    /**
     * One webhook to send: one event of the job to one destination, tried until the receiver takes it or the
     * schedule runs out.
     *
     * @param id           the webhook-id header, the same on every try
     * @param subscription the subscription it is for; null for the job's own webhook
     * @param body         the exact bytes sent (and signed) on every try
     * @param traceparent  the trace of the event, which each try's span continues
     * @param nextAttemptAt when the next try is due; null once delivered or failed
     */
    record Delivery(String id, String subscription, String url, String eventType, long seq, String body,
                    String traceparent, Instant createdAt, Status status, Instant nextAttemptAt, List<Attempt> attempts) {

        enum Status { PENDING, DELIVERED, FAILED }

        Delivery {
            attempts = attempts == null ? List.of() : List.copyOf(attempts);
        }

        Delivery after(Attempt attempt, Status status, Instant next) {
            List<Attempt> all = new ArrayList<>(attempts);
            all.add(attempt);
            return new Delivery(id, subscription, url, eventType, seq, body, traceparent, createdAt, status, next, all);
        }
    }

    /** One try: the receiver's status code, or the error when none came. */
    record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMs, boolean delivered) {
    }
}
