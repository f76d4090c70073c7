package io.jobline.api.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.command.CommandAppender;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.status.RecentSubmissions;
import io.jobline.core.command.JobCommands;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/**
 * Cancel, retry and delete of the caller's own jobs (an admin's: any): checked against the job's current state, then
 * appended as commands for the decider.
 */
@RestController
@RequestMapping("/api/jobs")
class JobControlController {

    private final JobLookup lookup;
    private final RecentSubmissions recent;
    private final CommandAppender appender;
    private final JobCommands commands;

    JobControlController(JobLookup lookup, RecentSubmissions recent, CommandAppender appender, JobCommands commands) {
        this.lookup = lookup;
        this.recent = recent;
        this.appender = appender;
        this.commands = commands;
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        if (!job.status().isActive()) {
            throw ApiException.jobConflict("Job cannot be cancelled",
                    "Job " + job.jobId() + " is already " + job.status().wireName(), job.jobId(), job.status().wireName(), null);
        }
        appender.append(commands.cancel(job.jobId(), caller.owner(), "cancelled by " + caller.owner()));
        return ResponseEntity.accepted().body(answer(job, "cancelling",
                "Cancellation accepted; a running job stops at its next progress report"));
    }

    @PostMapping("/{id}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
            throw ApiException.jobConflict("Job cannot be retried", "Only a failed or cancelled job can be retried; job "
                    + job.jobId() + " is " + job.status().wireName(), job.jobId(), job.status().wireName(), null);
        }
        appender.append(commands.retry(job.jobId(), caller.owner(), "retried by " + caller.owner()));
        return ResponseEntity.accepted().body(answer(job, "pending",
                "Retry accepted: a new attempt resumes after the last completed stage"));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Map<String, Object>> delete(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id, caller);
        appender.append(commands.delete(job.jobId(), caller.owner(), "deleted by " + caller.owner()));
        recent.forget(job.jobId());
        return ResponseEntity.accepted().body(answer(job, "deleting",
                job.status().isActive() ? "The job is cancelled, then deleted" : "Deletion accepted"));
    }

    private static Map<String, Object> answer(JobView job, String status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.jobId());
        body.put("status", status);
        body.put("message", message);
        return body;
    }
}
