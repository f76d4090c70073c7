package io.jobline.api.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.status.JobLookup;

/**
 * Webhooks: an owner's subscriptions ({@code /api/webhooks}), the secret their signatures are made with, and the
 * deliveries of one job with every try ({@code GET /api/jobs/{id}/deliveries}).
 */
@RestController
class WebhooksController {

    private final WebhookSubscriptions subscriptions;
    private final WebhookSigning signing;
    private final ObjectProvider<Webhooks> webhooks;
    private final JobLookup lookup;

    WebhooksController(WebhookSubscriptions subscriptions, WebhookSigning signing, ObjectProvider<Webhooks> webhooks,
                       JobLookup lookup) {
        this.subscriptions = subscriptions;
        this.signing = signing;
        this.webhooks = webhooks;
        this.lookup = lookup;
    }

    record SubscriptionResponse(String id, String owner, String url, List<String> events, List<String> jobTypes,
                                Instant createdAt, String createdBy) {

        static SubscriptionResponse of(Subscription s) {
            return new SubscriptionResponse(s.id(), s.owner(), s.url(), s.events(), s.jobTypes(), s.createdAt(), s.createdBy());
        }
    }

    /** A subscription just made, with the secret its deliveries are signed with (the owner's, also at /secret). */
    record CreatedResponse(String id, String owner, String url, List<String> events, List<String> jobTypes,
                           Instant createdAt, String secret) {
    }

    record SubscriptionList(List<SubscriptionResponse> webhooks, int count) {
    }

    record SecretResponse(String owner, String secret, String scheme) {
    }

    record AttemptResponse(int attempt, Instant at, Integer statusCode, String error, long durationMs, boolean delivered) {
    }

    record DeliveryResponse(String id, String subscription, String url, String eventType, long seq, String status,
                            Instant createdAt, Instant nextAttemptAt, List<AttemptResponse> attempts) {

        static DeliveryResponse of(WebhookJob.Delivery d) {
            return new DeliveryResponse(d.id(), d.subscription(), d.url(), d.eventType(), d.seq(),
                    d.status().name().toLowerCase(), d.createdAt(), d.nextAttemptAt(), d.attempts().stream()
                    .map(a -> new AttemptResponse(a.attempt(), a.at(), a.statusCode(), a.error(), a.durationMs(), a.delivered()))
                    .toList());
        }
    }

    record DeliveryList(String jobId, String notifyUrl, List<DeliveryResponse> deliveries, int count) {
    }

    @PostMapping("/api/webhooks")
    ResponseEntity<CreatedResponse> subscribe(@RequestBody(required = false) WebhookSubscriptions.NewSubscription body,
                                              @AuthenticationPrincipal Caller caller) {
        Subscription s = subscriptions.subscribe(body, caller);
        return ResponseEntity.created(URI.create("/api/webhooks/" + s.id())).body(new CreatedResponse(s.id(), s.owner(),
                s.url(), s.events(), s.jobTypes(), s.createdAt(), signing.secretOf(s.owner())));
    }

    @GetMapping("/api/webhooks")
    SubscriptionList list(@AuthenticationPrincipal Caller caller) {
        List<SubscriptionResponse> all = subscriptions.visibleTo(caller).stream().map(SubscriptionResponse::of).toList();
        return new SubscriptionList(all, all.size());
    }

    @DeleteMapping("/api/webhooks/{id}")
    ResponseEntity<Void> unsubscribe(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        subscriptions.unsubscribe(id, caller);
        return ResponseEntity.noContent().build();
    }

    /** The caller's signing secret: what a receiver of its webhooks verifies {@code webhook-signature} with. */
    @GetMapping("/api/webhooks/secret")
    SecretResponse secret(@AuthenticationPrincipal Caller caller) {
        return new SecretResponse(caller.owner(), signing.secretOf(caller.owner()),
                "Standard Webhooks: webhook-signature = v1,base64(HMAC-SHA256(base64-decoded secret after whsec_, "
                        + "webhook-id + '.' + webhook-timestamp + '.' + body))");
    }

    @GetMapping("/api/jobs/{jobId}/deliveries")
    DeliveryList deliveries(@PathVariable String jobId, @AuthenticationPrincipal Caller caller) {
        lookup.require(jobId, caller);
        Webhooks running = webhooks.getIfAvailable();
        WebhookJob job = running == null ? null : running.deliveries(jobId).orElse(null);
        List<DeliveryResponse> all = job == null ? List.of()
                : job.deliveries().stream().map(DeliveryResponse::of).toList();
        return new DeliveryList(jobId, job == null ? null : job.notifyUrl(), all, all.size());
    }
}
