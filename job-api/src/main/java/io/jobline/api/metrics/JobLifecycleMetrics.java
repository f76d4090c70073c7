package io.jobline.api.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The lifecycle counters and timers, counted from the events this instance's projection folds: each partition of
 * job-events is folded by one instance of the projections' consumer group, and an event the fold ignores (a
 * duplicate, a stale attempt's report) is not told, so a sum over instances counts each fact once. Times are the
 * differences of the events' own timestamps (the decider's, or the command's), not of when they were folded, so a
 * projection catching up measures the jobs, not its own lag.
 */
public final class JobLifecycleMetrics {

    /**
     * Histogram buckets for jobs of milliseconds to half an hour: the pickup of an idle service is a few ms, a report
     * runs for minutes. Prometheus estimates quantiles within a bucket, so they are closer where most jobs fall.
     */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1)};

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "jobline.jobs.submitted", "Jobs accepted",
            "jobline.jobs.started", "Attempts started: first runs, retries and restarts",
            "jobline.jobs.restarts", "Running jobs taken over by a new attempt (their worker was gone)",
            "jobline.jobs.completed", "Jobs completed",
            "jobline.jobs.failed", "Jobs failed for good (no attempt left, or not retryable)",
            "jobline.jobs.cancelled", "Jobs cancelled, also by a delete of an active job");

    private static final Logger log = LoggerFactory.getLogger(JobLifecycleMetrics.class);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<String> types = ConcurrentHashMap.newKeySet();

    public JobLifecycleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Counts what {@code event} did to the job: {@code before} and {@code after} as the projection folded it. Runs on
     * the projection's stream thread, which a failure here must not stop: it is logged instead.
     */
    public void folded(JobEvent event, JobView before, JobView after) {
        try {
            count(event, before, after);
        } catch (RuntimeException e) {
            log.warn("Could not count event {} of job {} in the metrics", event.getSequence(), event.getJobId(), e);
        }
    }

    private void count(JobEvent event, JobView before, JobView after) {
        if (after == null) {
            return; // deleted: not a lifecycle fact of its own
        }
        String type = after.type();
        if (types.add(type)) {
            startAtZero(type);
        }
        Instant at = event.getTimestamp();
        Object payload = event.getPayload();
        if (payload instanceof JobSubmitted) {
            count("jobline.jobs.submitted", type);
        } else if (payload instanceof JobStarted) {
            count("jobline.jobs.started", type);
            if (before.status() == JobStatus.RUNNING) {
                count("jobline.jobs.restarts", type);
            } else {
                time("jobline.jobs.queue.time", type, "From an attempt being due (submitted, retried, released, backoff passed) to its start",
                        dueAt(before), at);
                if (before.startedAt() == null) {
                    time("jobline.jobs.pickup.latency", type, "From a job's submission to its first attempt's start",
                            before.createdAt(), at);
                }
            }
        } else if (payload instanceof JobCompleted) {
            count("jobline.jobs.completed", type);
            runTime(type, "completed", before, at);
        } else if (payload instanceof JobFailed) {
            count("jobline.jobs.failed", type);
            runTime(type, "failed", before, at);
        } else if (payload instanceof JobCancelled) {
            count("jobline.jobs.cancelled", type);
            runTime(type, "cancelled", before, at);
        } else if (payload instanceof AttemptFailed) {
            retry(type, "failure");
        } else if (payload instanceof JobRetried) {
            retry(type, "manual");
        }
    }

    /**
     * Registers every counter of a type the first time one of its jobs is seen, so that a rate or an alert on, say,
     * failures reads 0 rather than nothing until the first one.
     */
    private void startAtZero(String type) {
        DESCRIPTIONS.forEach((name, description) -> counter(name, type, description));
        for (String cause : List.of("failure", "manual")) {
            retryCounter(type, cause);
        }
    }

    /** When the attempt that starts now became due: its backoff's end, or when the job last became pending. */
    static Instant dueAt(JobView pending) {
        return pending.nextAttemptAt() != null ? pending.nextAttemptAt() : pending.updatedAt();
    }

    private void runTime(String type, String outcome, JobView before, Instant at) {
        if (before.startedAt() == null) {
            return; // never ran (cancelled while pending)
        }
        String key = "jobline.jobs.run.time\0" + type + "\0" + outcome;
        Timer timer = timers.computeIfAbsent(key, k -> Timer.builder("jobline.jobs.run.time")
                .description("From a job's first start to its end, retries and their backoff included")
                .tags("type", type, "outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
        timer.record(between(before.startedAt(), at));
    }

    private void retry(String type, String cause) {
        retryCounter(type, cause).increment();
    }

    private Counter retryCounter(String type, String cause) {
        return counters.computeIfAbsent("jobline.jobs.retries\0" + type + "\0" + cause, k -> Counter.builder("jobline.jobs.retries")
                .description("New attempts scheduled: after a failed attempt (failure) or asked for by hand (manual)")
                .tags("type", type, "cause", cause)
                .register(registry));
    }

    private void count(String name, String type) {
        counter(name, type, DESCRIPTIONS.get(name)).increment();
    }

    private Counter counter(String name, String type, String description) {
        return counters.computeIfAbsent(name + "\0" + type, k -> Counter.builder(name).description(description)
                .tag("type", type).register(registry));
    }

    private void time(String name, String type, String description, Instant from, Instant to) {
        if (from == null) {
            return;
        }
        timers.computeIfAbsent(name + "\0" + type, k -> Timer.builder(name).description(description).tag("type", type)
                .serviceLevelObjectives(BUCKETS).register(registry)).record(between(from, to));
    }

    /** Never negative: the timestamps of two events may come from two hosts' clocks. */
    private static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
