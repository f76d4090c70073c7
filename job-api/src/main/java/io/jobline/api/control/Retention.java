package io.jobline.api.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.jobline.api.command.CommandAppender;
import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.command.JobCommands;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.projections.JobProjections;
import io.jobline.schemas.command.JobCommand;

/**
 * Deletes finished jobs (completed, failed, cancelled) that finished before a cutoff, through DeleteJob commands: the
 * decider appends JobDeleted, the projections forget the job, its files are removed. Runs on request
 * ({@code POST /api/jobs/cleanup?days=N}) and every hour when {@code jobline.retention.finished-jobs} is set.
 */
@Component
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final int BATCH = 500;

    private final JobQueries queries;
    private final JobQueries ownPartitions;
    private final CommandAppender appender;
    private final JobCommands commands;
    private final Duration keepFinished;
    private final Clock clock = Clock.systemUTC();

    Retention(JobQueries queries, JobProjections projections, CommandAppender appender, JobCommands commands,
              JoblineProperties properties) {
        this.queries = queries;
        this.ownPartitions = projections.queries();
        this.appender = appender;
        this.commands = commands;
        this.keepFinished = properties.retention().finishedJobs();
    }

    /** Deletes the jobs that finished before {@code cutoff}, every instance's; returns their ids. */
    List<String> deleteFinishedBefore(Instant cutoff, String reason) {
        return deleteFinishedBefore(queries, cutoff, reason);
    }

    private List<String> deleteFinishedBefore(JobQueries source, Instant cutoff, String reason) {
        List<String> expired = source.list(JobFilter.ALL, Integer.MAX_VALUE, 0).jobs().stream()
                .filter(job -> job.status().isFinished())
                .filter(job -> finishedAt(job).isBefore(cutoff))
                .map(JobView::jobId)
                .toList();
        for (int from = 0; from < expired.size(); from += BATCH) {
            List<JobCommand> batch = expired.subList(from, Math.min(expired.size(), from + BATCH)).stream()
                    .map(id -> commands.delete(id, "retention", reason)).toList();
            if (appender.appendEach(batch).contains(false)) {
                // A delete that did land is harmless to send again: the decider refuses a second one.
                throw ApiException.unavailable("Kafka did not acknowledge every deletion in time; try again");
            }
        }
        if (!expired.isEmpty()) {
            log.info("Retention: deleting {} job(s) finished before {}", expired.size(), cutoff);
        }
        return expired;
    }

    Instant now() {
        return clock.instant();
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void applyConfiguredRetention() {
        if (keepFinished == null || keepFinished.isZero() || keepFinished.isNegative()) {
            return;
        }
        try {
            // Each instance deletes what its own partitions hold: with several instances, every job once.
            deleteFinishedBefore(ownPartitions, now().minus(keepFinished), "retention: finished more than " + keepFinished.toDays() + " days ago");
        } catch (RuntimeException e) {
            log.warn("Retention run failed; it runs again in an hour: {}", e.toString());
        }
    }

    private static Instant finishedAt(JobView job) {
        return job.completedAt() != null ? job.completedAt() : job.updatedAt();
    }
}
