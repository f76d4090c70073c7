package io.jobline.projections.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.jobline.projections.stats.ActiveJobs;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/** Reads of the job projections, wherever the stores are. */
public interface JobQueries {

    Optional<JobView> find(String jobId);

    /** Matching jobs, newest first, skipping {@code offset} of them. */
    default JobPage list(JobFilter filter, int limit, int offset) {
        return list(filter, limit, offset, null);
    }

    /**
     * Matching jobs, newest first: skipping {@code offset} of them, and starting after the job whose listing
     * cursor is {@code after} (a page's {@link JobPage#next()}; null: from the newest).
     */
    JobPage list(JobFilter filter, int limit, int offset, String after);

    /** The job's events in order; empty when the job is unknown or deleted. */
    default List<JobEvent> history(String jobId) {
        return history(jobId, 0, Integer.MAX_VALUE);
    }

    /** At most {@code limit} of the job's events with a sequence number above {@code afterSequence}, in order. */
    List<JobEvent> history(String jobId, long afterSequence, int limit);

    /** Counts by status and run times, per job type. */
    List<TypeStats> stats();

    /** The same, of one owner's jobs. */
    List<TypeStats> stats(String owner);

    /** Pending and running jobs by type and priority, of the partitions this instance holds. */
    List<ActiveJobs> activeByPriority();

    /** The same, of every partition: with several instances, the sum of every instance's part. */
    default List<ActiveJobs> queues() {
        return activeByPriority();
    }

    /** When the job was deleted, for a job submitted with an Idempotency-Key and deleted in the last two days. */
    Optional<Instant> deletedAt(String jobId);

    /** The pending or running job of this type that holds this dedup key, if any. */
    Optional<String> activeJobWithDedupKey(String type, String dedupKey);
}
