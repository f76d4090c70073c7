package io.jobline.api.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jobline.api.system.TopicFold;
import io.jobline.schemas.topic.Topic;
import io.jobline.schemas.webhook.WebhookSubscribed;
import io.jobline.schemas.webhook.WebhookSubscriptionEvent;
import io.jobline.schemas.webhook.WebhookUnsubscribed;

/**
 * Every instance's view of the webhook subscriptions: the fold of webhook-subscriptions ({@link TopicFold}). A
 * subscription's last record wins.
 */
final class SubscriptionCatalog implements AutoCloseable {

    private final Map<String, Subscription> active = new HashMap<>();
    private final TopicFold<WebhookSubscriptionEvent> fold;

    SubscriptionCatalog(Map<String, Object> clientConfig, Topic<String, WebhookSubscriptionEvent> topic) {
        this.fold = new TopicFold<>("webhook-subscriptions", clientConfig, topic, this, this::apply, () -> { });
    }

    boolean isCaughtUp() {
        return fold.isCaughtUp();
    }

    synchronized Optional<Subscription> find(String id) {
        return Optional.ofNullable(active.get(id));
    }

    /** Every subscription, oldest first. */
    synchronized List<Subscription> all() {
        List<Subscription> all = new ArrayList<>(active.values());
        all.sort(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id));
        return all;
    }

    synchronized List<Subscription> ofOwner(String owner) {
        return all().stream().filter(s -> s.owner().equals(owner)).toList();
    }

    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return fold.awaitCaughtUp(timeout);
    }

    /** Appends a change and waits until this instance has folded it ({@link TopicFold#appendAndFold}). */
    void append(String key, WebhookSubscriptionEvent change, String what) {
        fold.appendAndFold(key, change, what);
    }

    /** Called by the fold, holding this catalog's monitor. */
    private void apply(WebhookSubscriptionEvent event) {
        if (event.getPayload() instanceof WebhookSubscribed s) {
            active.put(event.getSubscriptionId(), new Subscription(event.getSubscriptionId(), s.getOwner(), s.getUrl(),
                    s.getEvents(), s.getJobTypes(), event.getTimestamp(), s.getCreatedBy()));
        } else if (event.getPayload() instanceof WebhookUnsubscribed) {
            active.remove(event.getSubscriptionId());
        }
    }

    @Override
    public void close() throws InterruptedException {
        fold.close();
    }
}
