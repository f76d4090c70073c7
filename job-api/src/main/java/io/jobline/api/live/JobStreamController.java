package io.jobline.api.live;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.jobline.api.access.Caller;
import io.jobline.api.openapi.OpenApiTicket;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.status.JobLookup;
import io.jobline.api.system.JoblineProperties;

/**
 * Server-Sent Events with the WebSocket protocol's payloads; Last-Event-ID resumes where the client left off. A stream
 * carries the caller's own jobs only (an admin's: all).
 */
@RestController
@Tag(name = "jobs")
class JobStreamController {

    private static final long TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);

    private final LiveHub hub;
    private final LiveSubscriptions subscriptions;
    private final LiveMessages messages;
    private final JobLookup lookup;
    private final ConnectionLimits limits;
    private final Duration sendTimeout;

    JobStreamController(LiveHub hub, LiveSubscriptions subscriptions, LiveMessages messages, JobLookup lookup,
                        ConnectionLimits limits, JoblineProperties properties) {
        this.hub = hub;
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.lookup = lookup;
        this.limits = limits;
        this.sendTimeout = properties.live().sendTimeout();
    }

    @GetMapping(path = "/api/jobs/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamJob", summary = "Follow a job: Server-Sent Events", description = "The job's updates "
            + "as they happen, until it is deleted or the stream is closed (at most an hour). A browser passes ?ticket= "
            + "(POST /api/ws-tickets).")
    @ApiResponse(responseCode = "200", description = "The stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(types = "string",
            description = "Server-Sent Events: each event's data is a message of the WebSocket protocol (docs/design.md), "
                    + "its id what Last-Event-ID resumes from")))
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not a sequence number, or the id not a UUID")
    @ApiResponse(responseCode = "403", description = "A foreign Origin, or the key lacks jobs:read")
    @ApiResponse(responseCode = "429", description = "Too many streams open, from this address or in all")
    @Problems({400, 404, 429, 503})
    @SecurityRequirement(name = OpenApiTicket.NAME)
    SseEmitter job(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id,
                   @Parameter(description = "Resume after this sequence number of the job")  @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                   HttpServletRequest request, @AuthenticationPrincipal Caller caller) {
        String jobId = lookup.require(id, caller).jobId();
        Long after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID of a job stream is the job's sequence number");
            }
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = register(emitter, true, request, caller);
        try {
            subscriptions.subscribe(subscriber, jobId, after);
        } catch (RuntimeException e) {
            subscriber.closeQuietly("subscribe failed");
            throw e;
        }
        return emitter;
    }

    @GetMapping(path = "/api/jobs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamJobs", summary = "Follow all of the caller's jobs: Server-Sent Events",
            description = "Every update of the caller's jobs (an admin's: all). With a Last-Event-ID that is no longer "
                    + "available, the first message says to fetch /api/jobs again. A browser passes ?ticket=.")
    @ApiResponse(responseCode = "200", description = "The stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(types = "string",
            description = "Server-Sent Events: each event's data is a message of the WebSocket protocol (docs/design.md), "
                    + "its id what Last-Event-ID resumes from")))
    @ApiResponse(responseCode = "403", description = "A foreign Origin, or the key lacks jobs:read")
    @ApiResponse(responseCode = "429", description = "Too many streams open, from this address or in all")
    @Problems({429})
    @SecurityRequirement(name = OpenApiTicket.NAME)
    SseEmitter all(@Parameter(description = "Resume after this event id") @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                   HttpServletRequest request, @AuthenticationPrincipal Caller caller) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = register(emitter, false, request, caller);
        String after = lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim();
        try {
            if (!subscriptions.subscribeAll(subscriber, after, after == null)) {
                subscriber.send(messages.resync("Updates after " + after + " are no longer available; fetch /api/jobs again"));
            }
        } catch (RuntimeException e) {
            subscriber.closeQuietly("subscribe failed");
            throw e;
        }
        return emitter;
    }

    /**
     * Admits the stream under the connection limits (429 otherwise); its slot is released when it closes. A write
     * that blocks for the send timeout fails, which closes the stream.
     */
    private Subscriber register(SseEmitter emitter, boolean oneJob, HttpServletRequest request, Caller caller) {
        TomcatConnection connection = TomcatConnection.of(request);
        ConnectionLimits.Slot slot = limits.admit(connection != null ? connection.peerAddress() : request.getRemoteAddr());
        if (connection != null) {
            connection.setWriteTimeout(sendTimeout);
        }
        Subscriber subscriber = hub.newSubscriber(new SseSink(emitter, oneJob), caller);
        subscriber.onClose(slot::release);
        emitter.onCompletion(() -> subscriber.closeQuietly("completed"));
        emitter.onTimeout(() -> subscriber.closeQuietly("timed out"));
        emitter.onError(e -> subscriber.closeQuietly("error"));
        return subscriber;
    }
}
