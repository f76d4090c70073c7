package io.jobline.api.status;

import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.jobline.projections.view.JobView;

/**
 * Jobs this process accepted in the last moments, until the projection shows them: so a GET right after a 202
 * finds the job (pending) instead of a 404. Entries expire after {@link #KEEP}; the projection takes over well
 * before that.
 */
@Component
public class RecentSubmissions {

    static final Duration KEEP = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 100_000;

    private final Map<String, JobView> jobs = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** The job as the decider's JobSubmitted for this SubmitJob command will show it. */
    public static JobView viewOf(JobCommand command) {
        SubmitJob submit = (SubmitJob) command.getPayload();
        return JobViewFold.apply(null, JobEvent.newBuilder()
                .setEventId(command.getCommandId())
                .setJobId(command.getJobId())
                .setTimestamp(command.getTimestamp())
                .setAttempt(0)
                .setSequence(1)
                .setPayload(new JobSubmitted(submit.getType(), submit.getOwner(), submit.getInput(), submit.getFiles(),
                        submit.getStages(), submit.getPolicy(), submit.getIdempotencyKey(), submit.getRequestHash(),
                        submit.getDedupKey(), submit.getPriority(), submit.getTypeVersion(), submit.getConcurrencyLimit(),
                        submit.getDynamicStages(), submit.getNotify()))
                .build());
    }

    public void remember(JobView job) {
        if (jobs.size() >= MAX_ENTRIES) {
            evictExpired();
        }
        if (jobs.size() < MAX_ENTRIES) {
            jobs.put(job.jobId(), job);
        }
    }

    public Optional<JobView> find(String jobId) {
        JobView job = jobs.get(jobId);
        if (job != null && isExpired(job)) {
            jobs.remove(jobId);
            return Optional.empty();
        }
        return Optional.ofNullable(job);
    }

    public void forget(String jobId) {
        jobs.remove(jobId);
    }

    private void evictExpired() {
        jobs.values().removeIf(this::isExpired);
    }

    private boolean isExpired(JobView job) {
        return job.createdAt().plus(KEEP).isBefore(Instant.now(clock));
    }
}
