package io.jobline.api.submit;

import java.util.List;

import org.springframework.stereotype.Component;

import io.jobline.api.status.RecentSubmissions;
import io.jobline.core.command.JobCommands;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.worker.StoredFile;

/**
 * The SubmitJob of a planned request, and what this process remembers of it once appended: the job as the decider's
 * JobSubmitted will show it, so a GET right after the 202 finds it before the projection does.
 */
@Component
class AcceptedJobs {

    private final JobCommands commands;
    private final RecentSubmissions recent;
    private final SecretInputs secrets;

    AcceptedJobs(JobCommands commands, RecentSubmissions recent, SecretInputs secrets) {
        this.commands = commands;
        this.recent = recent;
        this.secrets = secrets;
    }

    /** {@code requestHash}: of this request, or of the whole batch it is an item of. */
    JobCommand command(String jobId, SubmitRequest request, JobPlan plan, List<StoredFile> stored, String requestHash) {
        return commands.submit(jobId, request.owner(), plan.type(), secrets.seal(jobId, request.input(), plan.secretPaths()), stored,
                plan.stages(), new JobCommands.SubmitOptions(plan.policy(), request.idempotencyKey(), requestHash,
                        plan.dedupKey(), SubmitOptions.priority(request.options()), plan.typeVersion(), plan.concurrencyLimit(),
                        plan.dynamicStages(), plan.webhook()));
    }

    /** Call once the command is acknowledged. */
    SubmittedJob accepted(JobCommand command) {
        recent.remember(RecentSubmissions.viewOf(command));
        return SubmittedJob.pending(command.getJobId());
    }
}
