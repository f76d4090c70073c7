package io.jobline.api.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.jobline.api.access.Caller;
import io.jobline.api.problem.ApiException;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.webhook.WebhookSubscribed;
import io.jobline.schemas.webhook.WebhookSubscriptionEvent;
import io.jobline.schemas.webhook.WebhookUnsubscribed;

/**
 * Owners' webhook subscriptions: made and removed by appending to webhook-subscriptions, answered once this instance
 * has folded the change. A subscription covers the jobs its owner submits from then on.
 */
@Component
public class WebhookSubscriptions implements DeliveryTopology.Subscribers, AutoCloseable {

    static final int MAX_PER_OWNER = 20;
    static final int MAX_TYPES = 100;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final SubscriptionCatalog catalog;
    private final Destinations destinations;
    private final Clock clock = Clock.systemUTC();

    public WebhookSubscriptions(KafkaSettings kafka, JobTopics topics, Destinations destinations) {
        this.destinations = destinations;
        this.catalog = new SubscriptionCatalog(kafka.clientConfig(), topics.webhookSubscriptions());
    }

    /** A POST's body: {@code {"url": ..., "events": ["terminal", "stage", "progress"], "job_types": [...]}}. */
    public record NewSubscription(String url, List<String> events, List<String> jobTypes) {
    }

    Subscription subscribe(NewSubscription request, Caller caller) {
        requireCaughtUp();
        if (request == null) {
            throw ApiException.badRequest("The body must be a JSON object like {\"url\": \"https://example.com/hooks\", "
                    + "\"events\": [\"terminal\"]}");
        }
        List<String> events;
        try {
            destinations.check(request.url());
            events = WebhookEvents.kinds(request.events());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<String> types = types(request.jobTypes());
        if (catalog.ofOwner(caller.owner()).size() >= MAX_PER_OWNER) {
            throw new ApiException(org.springframework.http.HttpStatus.CONFLICT, "Too many webhook subscriptions",
                    "An owner has at most " + MAX_PER_OWNER + " webhook subscriptions; delete one first", Map.of());
        }
        String id = "whsub_" + UUID.randomUUID().toString().replace("-", "");
        append(event(id, new WebhookSubscribed(caller.owner(), request.url(), events, types, caller.owner())));
        return catalog.find(id).orElseThrow();
    }

    /** The caller's subscriptions; an admin's call lists everyone's. */
    List<Subscription> visibleTo(Caller caller) {
        requireCaughtUp();
        return caller.isAdmin() ? catalog.all() : catalog.ofOwner(caller.owner());
    }

    /** Removes a subscription of the caller's (an admin: anyone's); another owner's is answered as unknown. */
    void unsubscribe(String id, Caller caller) {
        requireCaughtUp();
        Subscription found = catalog.find(id).filter(s -> caller.isAdmin() || s.owner().equals(caller.owner()))
                .orElseThrow(() -> ApiException.notFound("Unknown webhook subscription",
                        "No webhook subscription with id '" + id + "' (or it was deleted already)"));
        append(event(found.id(), new WebhookUnsubscribed(caller.owner())));
    }

    @Override
    public boolean any(String owner, String type) {
        return catalog.ofOwner(owner).stream().anyMatch(s -> s.covers(type));
    }

    @Override
    public List<DeliveryTopology.Target> matching(String owner, String type, String kind, java.time.Instant submittedAt) {
        return catalog.ofOwner(owner).stream().filter(s -> s.covers(type) && s.events().contains(kind)
                        && (submittedAt == null || !s.createdAt().isAfter(submittedAt)))
                .map(s -> new DeliveryTopology.Target(s.id(), s.url())).toList();
    }

    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return catalog.awaitCaughtUp(timeout);
    }

    private static List<String> types(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        if (names.size() > MAX_TYPES) {
            throw ApiException.badRequest("'job_types' may name at most " + MAX_TYPES + " job types");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !TYPE.matcher(name).matches()) {
                throw ApiException.badRequest("'job_types' must hold job type names; '" + name + "' is none");
            }
            types.add(name);
        }
        return List.copyOf(types);
    }

    private void requireCaughtUp() {
        if (!catalog.isCaughtUp()) {
            throw ApiException.unavailable("The service is starting: it is still reading the webhook subscriptions; try again shortly");
        }
    }

    private WebhookSubscriptionEvent event(String id, Object payload) {
        return WebhookSubscriptionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setSubscriptionId(id)
                .setTimestamp(clock.instant()).setPayload(payload).build();
    }

    private void append(WebhookSubscriptionEvent event) {
        catalog.append(event.getSubscriptionId(), event, "webhook subscription change");
    }

    @Override
    public void close() throws InterruptedException {
        catalog.close();
    }
}
