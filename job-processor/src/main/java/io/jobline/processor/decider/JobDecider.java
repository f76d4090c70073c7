package io.jobline.processor.decider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.jobline.core.files.FileKeys;
import io.jobline.core.jobtype.StagePlans;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.command.CancelJob;
import io.jobline.schemas.command.CompleteJob;
import io.jobline.schemas.command.CompleteStage;
import io.jobline.schemas.command.DeleteJob;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.Heartbeat;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.ReleaseJob;
import io.jobline.schemas.command.ReportProgress;
import io.jobline.schemas.command.RetryJob;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.command.StartStage;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.command.Tick;
import io.jobline.schemas.common.FileRef;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.schemas.event.SubmitRefused;

/**
 * Decides a command against a job's state: a pure function from (state, command) to the events it causes. Every
 * event gets the next per-job sequence number, the job's attempt and its command's timestamp (so deciding the same
 * command again gives the same events); a command from a stale attempt, or one the lifecycle does not allow, is
 * rejected and changes nothing.
 */
public final class JobDecider {

    /** Who issues the commands the decider gives itself (timeouts). */
    public static final String ISSUER = "decider";

    private final Supplier<String> eventIds;

    public JobDecider(Supplier<String> eventIds) {
        this.eventIds = eventIds;
    }

    public Decision decide(JobState state, JobCommand command) {
        Object payload = command.getPayload();
        if (payload instanceof Heartbeat heartbeat) {
            String rejection = whenCurrentAttempt(state, heartbeat.getAttempt(), () -> null);
            return rejection != null ? new Decision(state, List.of(), rejection)
                    : new Decision(state.heartbeat(command.getTimestamp()), List.of(), null);
        }
        List<Object> decided = new ArrayList<>();
        String rejection = route(state, payload, command.getTimestamp(), command.getIssuedBy(), decided);
        if (rejection != null) {
            return new Decision(state, List.of(), rejection);
        }
        List<JobEvent> events = new ArrayList<>(decided.size());
        JobState current = state;
        for (Object eventPayload : decided) {
            if (!EventStatus.mayFollow(current.status(), eventPayload)) {
                return new Decision(state, List.of(), eventPayload.getClass().getSimpleName()
                        + " may not follow status " + current.status());
            }
            JobEvent event = JobEvent.newBuilder()
                    .setEventId(eventIds.get())
                    .setJobId(command.getJobId())
                    .setTimestamp(command.getTimestamp())
                    .setAttempt(eventPayload instanceof JobStarted ? current.attempt() + 1 : current.attempt())
                    .setSequence(current.sequence() + 1)
                    .setPayload(eventPayload)
                    .build();
            events.add(event);
            current = current.apply(event);
        }
        return new Decision(current, List.copyOf(events), null);
    }

    /**
     * The command that fails the running attempt of a job which hit its job, stage or heartbeat timeout at
     * {@code now}, as a retryable failure; null when it has not. {@code notBefore} is when this decider took the job
     * over: a job inherited from a lost instance is timed from then, as its worker had no chance to report here.
     */
    public JobCommand timeoutCommand(JobState state, Instant now, Instant notBefore) {
        String expired = Timeouts.expired(state, now, notBefore);
        if (expired == null) {
            return null;
        }
        return command(state.jobId(), ISSUER, now,
                new FailJob(state.attempt(), expired, state.stage() == 0 ? null : state.stage(), true));
    }

    /**
     * The event that records a SubmitJob refused as a duplicate run: {@code duplicateOf}, a pending or running job of
     * the same type, holds the same dedup key. No job is made under the command's job id (sequence 0).
     */
    public JobEvent duplicateRefused(JobCommand submit, String duplicateOf) {
        SubmitJob job = (SubmitJob) submit.getPayload();
        return JobEvent.newBuilder()
                .setEventId(eventIds.get())
                .setJobId(submit.getJobId())
                .setTimestamp(submit.getTimestamp())
                .setAttempt(0)
                .setSequence(0)
                .setPayload(new SubmitRefused("A " + job.getType() + " job with dedup key '" + job.getDedupKey()
                        + "' is already pending or running: " + duplicateOf, duplicateOf))
                .build();
    }

    /** The tick a decider appends to its own partition of job-commands, stamped {@code now}. */
    public JobCommand tick(int partition, Instant now) {
        return command("", ISSUER, now, new Tick(partition));
    }

    /** The StartJob a worker of this process would send for a job it claimed as it was accepted. */
    public JobCommand eagerStart(JobState state, String workerId, Instant now) {
        return command(state.jobId(), workerId, now, new StartJob(state.attempt(), workerId));
    }

    /** A command the decider makes itself, on behalf of {@code issuedBy}: decided in-process, or (a tick) appended. */
    private JobCommand command(String jobId, String issuedBy, Instant now, Object payload) {
        return JobCommand.newBuilder()
                .setCommandId(eventIds.get())
                .setJobId(jobId)
                .setTimestamp(now)
                .setIssuedBy(issuedBy)
                .setPayload(payload)
                .build();
    }

    private static String route(JobState state, Object payload, Instant at, String by, List<Object> decided) {
        if (payload instanceof SubmitJob submit) {
            return submit(state, submit, decided);
        } else if (payload instanceof CancelJob cancel) {
            return cancel(state, cancel, by, decided);
        } else if (payload instanceof DeleteJob delete) {
            return delete(state, delete, by, decided);
        } else if (payload instanceof StartJob start) {
            return start(state, start, at, decided);
        } else if (payload instanceof StartStage startStage) {
            return startStage(state, startStage, decided);
        } else if (payload instanceof ReportProgress report) {
            return progress(state, report, decided);
        } else if (payload instanceof CompleteStage complete) {
            return completeStage(state, complete, decided);
        } else if (payload instanceof CompleteJob complete) {
            return completeJob(state, complete, decided);
        } else if (payload instanceof RetryJob retry) {
            return retry(state, retry, by, decided);
        } else if (payload instanceof FailJob fail) {
            return fail(state, fail, at, by, decided);
        } else if (payload instanceof ReleaseJob release) {
            return release(state, release, decided);
        }
        return "unknown command " + payload.getClass().getSimpleName();
    }

    /**
     * A retryable failure with attempts left schedules the next one after a backoff; otherwise the job fails. A
     * failure the decider issued itself is a timeout ({@link #timeoutCommand}).
     */
    private static String fail(JobState state, FailJob fail, Instant at, String by, List<Object> decided) {
        return whenCurrentAttempt(state, fail.getAttempt(), () -> {
            Policy policy = state.effectivePolicy();
            int failures = state.failures() + 1;
            boolean timedOut = ISSUER.equals(by);
            if (fail.getRetryable() && failures < policy.maxAttempts()) {
                decided.add(new AttemptFailed(fail.getError(), fail.getStage(), policy.retryAt(at, failures, state.jobId()),
                        timedOut));
            } else {
                decided.add(new JobFailed(fail.getError(), fail.getStage(), fail.getRetryable(), timedOut));
            }
            return null;
        });
    }

    /** The worker gives the job back: pending again at once, resuming after its last completed stage; not a failure. */
    private static String release(JobState state, ReleaseJob release, List<Object> decided) {
        return whenCurrentAttempt(state, release.getAttempt(), () -> {
            decided.add(new JobReleased(release.getReason(), state.stage() == 0 ? null : state.stage()));
            return null;
        });
    }

    private static String retry(JobState state, RetryJob retry, String by, List<Object> decided) {
        if (state.status() != JobStatus.FAILED && state.status() != JobStatus.CANCELLED) {
            return "only a failed or cancelled job can be retried; this one is " + (state.exists() ? state.status() : "unknown");
        }
        decided.add(new JobRetried(retry.getReason(), state.error(), by));
        return null;
    }

    private static String cancel(JobState state, CancelJob cancel, String by, List<Object> decided) {
        if (!state.isActive()) {
            return "cannot cancel a job that is " + (state.exists() ? state.status() : "unknown");
        }
        decided.add(new JobCancelled(cancel.getReason(), by));
        return null;
    }

    private static String submit(JobState state, SubmitJob submit, List<Object> decided) {
        if (state.exists()) {
            return "job " + state.jobId() + " already exists";
        }
        String foreign = foreignFile(state.jobId(), submit.getFiles());
        if (foreign != null) {
            return foreign;
        }
        if (submit.getStages().isEmpty()) {
            return "a job needs at least one stage";
        }
        try {
            Policy.of(submit.getPolicy());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        decided.add(new JobSubmitted(submit.getType(), submit.getOwner(), submit.getInput(), submit.getFiles(),
                submit.getStages(), submit.getPolicy(), submit.getIdempotencyKey(), submit.getRequestHash(),
                submit.getDedupKey(), submit.getPriority(), submit.getTypeVersion(), submit.getConcurrencyLimit(),
                submit.getDynamicStages(), submit.getNotify()));
        return null;
    }

    private static String delete(JobState state, DeleteJob delete, String by, List<Object> decided) {
        if (!state.exists() || state.status() == JobStatus.DELETED) {
            return "job " + state.jobId() + " does not exist";
        }
        if (state.isActive()) {
            decided.add(new JobCancelled("deleted", by));
        }
        decided.add(new JobDeleted(delete.getReason(), by));
        return null;
    }

    private static String start(JobState state, StartJob start, Instant at, List<Object> decided) {
        if (!state.isActive()) {
            return "job is " + state.status() + ", not pending or running";
        }
        if (state.retryAt() != null && at.isBefore(state.retryAt())) {
            return "the next attempt is not due until " + state.retryAt();
        }
        if (start.getExpectedAttempt() != state.attempt()) {
            return "attempt " + state.attempt() + " already started; expected " + start.getExpectedAttempt();
        }
        int maxRestarts = state.effectivePolicy().effectiveMaxRestarts();
        if (state.status() == JobStatus.RUNNING && state.restarts() >= maxRestarts) {
            // Taking a running job over means its worker was lost; a job whose workers keep dying before it
            // completes a stage probably kills them (out of memory, a native crash): stop restarting it.
            decided.add(new JobFailed("The job's worker was lost " + (state.restarts() + 1) + " times in a row without"
                    + " completing a stage (max_restarts " + maxRestarts + "); the job probably crashes its worker",
                    state.stage() == 0 ? null : state.stage(), false, false));
            return null;
        }
        int first = state.completedStages() + 1;
        decided.add(new JobStarted(start.getWorkerId(), first, state.checkpoint()));
        // A started attempt is in its first stage at once: the worker does not ask for it with a StartStage.
        if (first <= state.stages().size()) {
            decided.add(new StageStarted(first, state.stages().get(first - 1)));
        }
        return null;
    }

    private static String startStage(JobState state, StartStage startStage, List<Object> decided) {
        return whenCurrentAttempt(state, startStage.getAttempt(), () -> {
            int expected = Math.max(state.stage(), state.completedStages()) + 1;
            if (startStage.getStage() != expected || expected > state.stages().size()) {
                return "stage " + startStage.getStage() + " cannot start; next stage is " + expected;
            }
            decided.add(new StageStarted(startStage.getStage(), state.stages().get(expected - 1)));
            return null;
        });
    }

    private static String progress(JobState state, ReportProgress report, List<Object> decided) {
        return whenCurrentAttempt(state, report.getAttempt(), () -> {
            if (report.getStage() != state.stage() || state.stage() <= state.completedStages()) {
                return "stage " + report.getStage() + " is not running";
            }
            if (report.getProgress() < 0 || report.getProgress() > 100) {
                return "progress " + report.getProgress() + " is outside 0..100";
            }
            decided.add(new ProgressReported(report.getStage(), report.getProgress(), report.getMessage()));
            return null;
        });
    }

    /**
     * A stage completes with its checkpoint; the worker of a job with dynamic stages may also name the stages still
     * to run after it (next_stages), which replace the rest of the plan once the StageCompleted is applied.
     */
    private static String completeStage(JobState state, CompleteStage complete, List<Object> decided) {
        return whenCurrentAttempt(state, complete.getAttempt(), () -> {
            if (complete.getStage() != state.stage() || state.stage() <= state.completedStages()) {
                return "stage " + complete.getStage() + " is not running";
            }
            List<String> next = complete.getNextStages();
            if (next != null) {
                if (!state.dynamicStages()) {
                    return "job " + state.jobId() + " was not submitted with dynamic stages: its plan cannot change";
                }
                String invalid = StagePlans.invalidNext(complete.getStage(), next);
                if (invalid != null) {
                    return invalid;
                }
            }
            decided.add(new StageCompleted(complete.getStage(), state.stages().get(state.stage() - 1),
                    complete.getCheckpoint(), next == null ? null : List.copyOf(next)));
            return null;
        });
    }

    /**
     * Completing a job also completes its last stage when that stage is running: the worker sends the last stage's
     * output once, as the result, instead of a CompleteStage and then a CompleteJob.
     */
    private static String completeJob(JobState state, CompleteJob complete, List<Object> decided) {
        return whenCurrentAttempt(state, complete.getAttempt(), () -> {
            String foreign = foreignFile(state.jobId(), complete.getArtifacts());
            if (foreign != null) {
                return foreign;
            }
            int total = state.stages().size();
            boolean lastStageRunning = state.stage() == total && state.completedStages() == total - 1;
            if (state.completedStages() != total && !lastStageRunning) {
                return "only " + state.completedStages() + " of " + total + " stages completed";
            }
            if (lastStageRunning) {
                decided.add(new StageCompleted(total, state.stages().get(total - 1), complete.getResultJson(), null));
            }
            decided.add(new JobCompleted(complete.getResultJson(), complete.getArtifacts()));
            return null;
        });
    }

    /** A file reference outside the job's own folder would hand the job another job's files: why, or null. */
    private static String foreignFile(String jobId, List<FileRef> files) {
        for (FileRef file : files) {
            if (!FileKeys.belongsTo(file.getKey(), jobId)) {
                return "file '" + file.getName() + "' (" + file.getKey() + ") is not in the job's own folder "
                        + FileKeys.jobFolder(jobId);
            }
        }
        return null;
    }

    private static String whenCurrentAttempt(JobState state, int attempt, Supplier<String> decide) {
        if (state.status() != JobStatus.RUNNING) {
            return "job is " + state.status() + ", not running";
        }
        if (attempt != state.attempt()) {
            return "stale attempt " + attempt + "; the job is on attempt " + state.attempt();
        }
        return decide.get();
    }
}
