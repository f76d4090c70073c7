package io.jobline.api.workers;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import io.jobline.api.access.Caller;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.jobline.api.workers.registry.ExternalWorkers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.core.command.JobCommands;
import io.jobline.core.command.KafkaCommandSender;
import io.jobline.core.files.FileStore;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.processor.dispatch.OfferedJob;
import io.jobline.processor.dispatch.Taker;

/**
 * POST /api/workers/poll: an external worker's long poll for a job of its types. Held until a job's start is granted
 * to the worker (200 with the task) or until {@code wait_ms} passes (204). A job granted to a poll whose client left
 * is released at once, unharmed. A worker key that names job types may poll for those only (403 otherwise).
 */
@RestController
@Tag(name = "workers")
class WorkerPollController {

    static final Duration MAX_WAIT = Duration.ofSeconds(50);
    static final int MAX_TYPES = 16;
    private static final Pattern WORKER_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final WorkerDispatch dispatch;
    private final KafkaCommandSender sender;
    private final JobCommands commands;
    private final HandedOut handedOut;
    private final SecretInputs secrets;
    private final PollingWorkers polling;
    private final FileStore files;
    private final ExternalWorkers registry;
    private final Clock clock = Clock.systemUTC();

    WorkerPollController(WorkerDispatch dispatch, KafkaCommandSender sender, JobCommands commands, HandedOut handedOut,
                         SecretInputs secrets, PollingWorkers polling, FileStore files, ExternalWorkers registry) {
        this.registry = registry;
        this.handedOut = handedOut;
        this.polling = polling;
        this.secrets = secrets;
        this.files = files;
        this.dispatch = dispatch;
        this.sender = sender;
        this.commands = commands;
    }

    record PollRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[\\x21-\\x7e]{1,128}$")
                       String workerId,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
                       @io.swagger.v3.oas.annotations.media.ArraySchema(minItems = 1, maxItems = MAX_TYPES,
                               schema = @Schema(pattern = "\\S")) List<String> types,
                       @Schema(nullable = true, minimum = "0", maximum = "50000", description = "How long to wait for a job; "
                               + "absent: 50000") Long waitMs) {
    }

    @PostMapping("/api/workers/poll")
    @Operation(operationId = "pollForJob", summary = "Wait for a job of the worker's types", description = "A long poll, "
            + "held until a job's start is granted to this worker (200 with the task) or wait_ms passes (204). A job "
            + "granted to a poll whose client left is released at once, unharmed.")
    @ApiResponse(responseCode = "200", description = "A task: run it, and report under /api/jobs/{id}/attempts/{attempt}")
    @ApiResponse(responseCode = "204", description = "No job within wait_ms")
    @ApiResponse(responseCode = "403", description = "The key lacks the worker scope, or may not work on one of the types")
    @Problems({400, 413, 503})
    DeferredResult<ResponseEntity<Task>> poll(@RequestBody PollRequest request, @AuthenticationPrincipal Caller caller) {
        String workerId = request.workerId();
        if (workerId == null || !WORKER_ID.matcher(workerId).matches()) {
            throw ApiException.badRequest("'worker_id' must be 1 to 128 printable characters without spaces");
        }
        if (request.types() == null || request.types().isEmpty() || request.types().size() > MAX_TYPES) {
            throw ApiException.badRequest("'types' must name 1 to " + MAX_TYPES + " job types");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : request.types()) {
            if (type == null || type.isBlank()) {
                throw ApiException.badRequest("'types' must not hold an empty name");
            }
            if (!caller.mayWorkOn(type)) {
                throw ApiException.forbidden("This key may work on job types " + caller.types().stream().sorted().toList()
                        + " only, not '" + type + "'");
            }
            types.add(type);
        }
        long waitMs = request.waitMs() == null ? MAX_WAIT.toMillis() : request.waitMs();
        if (waitMs < 0 || waitMs > MAX_WAIT.toMillis()) {
            throw ApiException.badRequest("'wait_ms' must be from 0 to " + MAX_WAIT.toMillis());
        }
        Taker taker = dispatch.dispatcher().take(workerId, types);
        polling.started(workerId);
        registry.pollStarted(workerId, types);
        taker.job().whenComplete((job, error) -> {
            polling.ended();
            registry.pollEnded(workerId);
        });
        // The servlet container's own timeout comes later: this one answers 204.
        DeferredResult<ResponseEntity<Task>> answer = new DeferredResult<>(waitMs + 10_000);
        taker.job().orTimeout(Math.max(1, waitMs), java.util.concurrent.TimeUnit.MILLISECONDS).whenComplete((job, error) -> {
            if (job != null) {
                Task task;
                try {
                    task = Task.of(job, clock.instant(), secrets, files);
                } catch (SecretKeys.SecretException e) {
                    // No worker can run it with the keys this deployment has: the job fails, saying why.
                    sender.send(commands.fail(job.jobId(), job.workerId(), job.attempt(), e.getMessage(),
                            job.offer().getFirstStage(), false));
                    answer.setResult(ResponseEntity.noContent().build());
                    return;
                }
                handedOut.handedOut(CurrentAttempt.of(task, workerId));
                registry.holds(workerId, task.jobId(), task.attempt());
                if (!answer.setResult(ResponseEntity.ok(task))) {
                    release(job);
                }
            } else {
                answer.setResult(ResponseEntity.noContent().build());
            }
        });
        answer.onError(error -> leave(taker));
        answer.onTimeout(() -> leave(taker));
        return answer;
    }

    /** The client left: stop waiting, and give back a job granted meanwhile. */
    private void leave(Taker taker) {
        if (!taker.cancel()) {
            OfferedJob job = taker.job().getNow(null);
            if (job != null) {
                release(job);
            }
        }
    }

    private void release(OfferedJob job) {
        registry.released(job.jobId(), job.attempt());
        sender.send(commands.release(job.jobId(), job.workerId(), job.attempt(), "the worker's poll ended before it got the job"));
    }
}
