package io.jobline.api.control;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.workers.CancelRequests;
import io.jobline.api.command.CommandAppender;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.status.RecentSubmissions;
import io.jobline.core.command.JobCommands;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Cancel, retry and delete of the caller's own jobs (an admin's: any): checked against the job's current state, then
 * appended as commands for the decider.
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs")
class JobControlController {

    private final CancelRequests cancels;
    private final JobLookup lookup;
    private final RecentSubmissions recent;
    private final CommandAppender appender;
    private final JobCommands commands;

    JobControlController(JobLookup lookup, RecentSubmissions recent, CommandAppender appender, JobCommands commands,
                         CancelRequests cancels) {
        this.cancels = cancels;
        this.lookup = lookup;
        this.recent = recent;
        this.appender = appender;
        this.commands = commands;
    }

    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a pending or running job",
            description = "A running job stops at its next progress report.")
    @ApiResponse(responseCode = "202", description = "Cancellation accepted")
    @ApiResponse(responseCode = "409", description = "The job is finished already")
    @Problems({400, 404, 409, 503})
    ResponseEntity<ControlAnswer> cancel(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        if (!job.status().isActive()) {
            throw ApiException.jobConflict("Job cannot be cancelled",
                    "Job " + job.jobId() + " is already " + job.status().wireName(), job.jobId(), job.status().wireName(), null);
        }
        appender.append(commands.cancel(job.jobId(), caller.owner(), "cancelled by " + caller.owner()));
        cancels.accepted(job.jobId(), job.attempt());
        return ResponseEntity.accepted().body(answer(job, "cancelling",
                "Cancellation accepted; a running job stops at its next progress report"));
    }

    @PostMapping("/{id}/retry")
    @Operation(operationId = "retryJob", summary = "Retry a failed or cancelled job",
            description = "A new attempt resumes after the last completed stage.")
    @ApiResponse(responseCode = "202", description = "Retry accepted")
    @ApiResponse(responseCode = "409", description = "The job is neither failed nor cancelled")
    @Problems({400, 404, 409, 503})
    ResponseEntity<ControlAnswer> retry(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
            throw ApiException.jobConflict("Job cannot be retried", "Only a failed or cancelled job can be retried; job "
                    + job.jobId() + " is " + job.status().wireName(), job.jobId(), job.status().wireName(), null);
        }
        appender.append(commands.retry(job.jobId(), caller.owner(), "retried by " + caller.owner()));
        cancels.retried(job.jobId());
        return ResponseEntity.accepted().body(answer(job, "pending",
                "Retry accepted: a new attempt resumes after the last completed stage"));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteJob", summary = "Delete a job and its files",
            description = "An active job is cancelled, then deleted. It disappears from listings within moments.")
    @ApiResponse(responseCode = "202", description = "Deletion accepted")
    @Problems({400, 404, 503})
    ResponseEntity<ControlAnswer> delete(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        appender.append(commands.delete(job.jobId(), caller.owner(), "deleted by " + caller.owner()));
        recent.forget(job.jobId());
        return ResponseEntity.accepted().body(answer(job, "deleting",
                job.status().isActive() ? "The job is cancelled, then deleted" : "Deletion accepted"));
    }

    private static ControlAnswer answer(JobView job, String status, String message) {
        return new ControlAnswer(job.jobId(), status, message);
    }
}
