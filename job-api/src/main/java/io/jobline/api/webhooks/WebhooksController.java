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
import io.jobline.api.openapi.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.status.JobLookup;

/**
 * Webhooks: an owner's subscriptions ({@code /api/webhooks}), the secret their signatures are made with, and the
 * deliveries of one job with every try ({@code GET /api/jobs/{id}/deliveries}).
 */
@RestController
@Tag(name = "webhooks", description = "Webhooks: a job's notify, owners' subscriptions, signing secret, deliveries")
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

    @Schema(name = "WebhookSubscription")
    record SubscriptionResponse(String id, String owner, String url,
                                @Schema(description = "Any of terminal, stage, progress") List<String> events,
                                @Schema(description = "Only jobs of these types; empty: every type") List<String> jobTypes,
                                Instant createdAt, @Schema(nullable = true) String createdBy) {

        static SubscriptionResponse of(Subscription s) {
            return new SubscriptionResponse(s.id(), s.owner(), s.url(), s.events(), s.jobTypes(), s.createdAt(), s.createdBy());
        }
    }

    /** A subscription just made, with the secret its deliveries are signed with (the owner's, also at /secret). */
    @Schema(name = "CreatedWebhookSubscription")
    record CreatedResponse(String id, String owner, String url, List<String> events, List<String> jobTypes,
                           Instant createdAt, @Schema(description = "The owner's signing secret (whsec_...)") String secret) {
    }

    @Schema(name = "WebhookSubscriptionList")
    record SubscriptionList(List<SubscriptionResponse> webhooks, int count) {
    }

    @Schema(name = "WebhookSecret")
    record SecretResponse(String owner, String secret, String scheme) {
    }

    @Schema(name = "WebhookAttempt")
    record AttemptResponse(int attempt, Instant at, @Schema(nullable = true, description = "The receiver's HTTP status; "
            + "null when none came") Integer statusCode, @Schema(nullable = true) String error, long durationMs,
                           boolean delivered) {
    }

    @Schema(name = "WebhookDelivery")
    record DeliveryResponse(@Schema(description = "The webhook-id header, the same on every try") String id,
                            @Schema(nullable = true, description = "The subscription; null for the job's own notify")
                            String subscription, String url, String eventType, long seq,
                            @Schema(allowableValues = {"pending", "delivered", "failed"}) String status,
                            Instant createdAt, @Schema(nullable = true) Instant nextAttemptAt, List<AttemptResponse> attempts) {

        static DeliveryResponse of(WebhookJob.Delivery d) {
            return new DeliveryResponse(d.id(), d.subscription(), d.url(), d.eventType(), d.seq(),
                    d.status().name().toLowerCase(), d.createdAt(), d.nextAttemptAt(), d.attempts().stream()
                    .map(a -> new AttemptResponse(a.attempt(), a.at(), a.statusCode(), a.error(), a.durationMs(), a.delivered()))
                    .toList());
        }
    }

    @Schema(name = "WebhookDeliveryList")
    record DeliveryList(String jobId, @Schema(nullable = true) String notifyUrl, List<DeliveryResponse> deliveries, int count) {
    }

    @PostMapping("/api/webhooks")
    @Operation(operationId = "subscribeWebhook", summary = "Subscribe to the caller's jobs' events",
            description = "Events of the kinds asked for (terminal by default) of jobs the caller submits from now on, "
                    + "of the job types named (all when none), are POSTed to the URL, signed per Standard Webhooks")
    @ApiResponse(responseCode = "201", description = "The subscription, with the owner's signing secret")
    @Problems({400, 409, 413, 503})
    ResponseEntity<CreatedResponse> subscribe(@RequestBody(required = false) WebhookSubscriptions.NewSubscription body,
                                              @AuthenticationPrincipal Caller caller) {
        Subscription s = subscriptions.subscribe(body, caller);
        return ResponseEntity.created(URI.create("/api/webhooks/" + s.id())).body(new CreatedResponse(s.id(), s.owner(),
                s.url(), s.events(), s.jobTypes(), s.createdAt(), signing.secretOf(s.owner())));
    }

    @GetMapping("/api/webhooks")
    @Operation(operationId = "listWebhooks", summary = "The caller's webhook subscriptions (an admin's: everyone's)")
    @ApiResponse(responseCode = "200", description = "The subscriptions")
    @Problems({503})
    SubscriptionList list(@AuthenticationPrincipal Caller caller) {
        List<SubscriptionResponse> all = subscriptions.visibleTo(caller).stream().map(SubscriptionResponse::of).toList();
        return new SubscriptionList(all, all.size());
    }

    @DeleteMapping("/api/webhooks/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook subscription of the caller's")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Problems({404, 503})
    ResponseEntity<Void> unsubscribe(@Parameter(description = "The subscription's id") @PathVariable String id, @AuthenticationPrincipal Caller caller) {
        subscriptions.unsubscribe(id, caller);
        return ResponseEntity.noContent().build();
    }

    /** The caller's signing secret: what a receiver of its webhooks verifies {@code webhook-signature} with. */
    @GetMapping("/api/webhooks/secret")
    @Operation(operationId = "getWebhookSecret", summary = "The caller's webhook signing secret")
    @ApiResponse(responseCode = "200", description = "The secret")
    SecretResponse secret(@AuthenticationPrincipal Caller caller) {
        return new SecretResponse(caller.owner(), signing.secretOf(caller.owner()),
                "Standard Webhooks: webhook-signature = v1,base64(HMAC-SHA256(base64-decoded secret after whsec_, "
                        + "webhook-id + '.' + webhook-timestamp + '.' + body))");
    }

    @GetMapping("/api/jobs/{id}/deliveries")
    @Operation(operationId = "listJobDeliveries", summary = "A job's webhook deliveries and every try of each")
    @ApiResponse(responseCode = "200", description = "The deliveries, oldest first")
    @Problems({404, 503})
    DeliveryList deliveries(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable("id") String jobId, @AuthenticationPrincipal Caller caller) {
        lookup.require(jobId, caller);
        Webhooks running = webhooks.getIfAvailable();
        WebhookJob job = running == null ? null : running.deliveries(jobId).orElse(null);
        List<DeliveryResponse> all = job == null ? List.of()
                : job.deliveries().stream().map(DeliveryResponse::of).toList();
        return new DeliveryList(jobId, job == null ? null : job.notifyUrl(), all, all.size());
    }
}
