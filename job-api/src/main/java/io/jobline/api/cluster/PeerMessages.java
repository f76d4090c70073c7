package io.jobline.api.cluster;

import java.util.List;

import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.stats.ActiveJobs;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;

/** What one instance asks another about the jobs of the partitions it holds, and the answer (Smile on the wire). */
final class PeerMessages {

    private PeerMessages() {
    }

    enum Op { FIND, HISTORY, DELETED_AT, LIST, STATS, OWNER_STATS, DEDUP, QUEUES }

    /** One question; the fields its {@code op} needs are set. */
    record Query(Op op, String jobId, long afterSequence, int limit, int offset, String cursor, JobFilter filter,
                 String owner, String type, String dedupKey) {

        static Query of(Op op) {
            return new Query(op, null, 0, 0, 0, null, null, null, null, null);
        }

        static Query job(Op op, String jobId) {
            return new Query(op, jobId, 0, 0, 0, null, null, null, null, null);
        }
    }

    /**
     * The answer: {@code events} are job-events values as the topic's serde writes them; {@code caughtUp} whether the
     * answering instance's projection holds every event that was in the log when it started; {@code notHeld} that the
     * job's partition is no longer this instance's to answer for.
     */
    record Answer(JobView job, List<byte[]> events, JobPage page, List<TypeStats> stats, Long deletedAt,
                  String dedupJob, boolean caughtUp, boolean notHeld, List<ActiveJobs> queues) {

        Answer(JobView job, List<byte[]> events, JobPage page, List<TypeStats> stats, Long deletedAt, String dedupJob,
               boolean caughtUp) {
            this(job, events, page, stats, deletedAt, dedupJob, caughtUp, false, null);
        }

        Answer(JobView job, List<byte[]> events, JobPage page, List<TypeStats> stats, Long deletedAt, String dedupJob,
               boolean caughtUp, boolean notHeld) {
            this(job, events, page, stats, deletedAt, dedupJob, caughtUp, notHeld, null);
        }

        /** An instance's pending and running jobs per type and priority. */
        static Answer queues(List<ActiveJobs> queues, boolean caughtUp) {
            return new Answer(null, null, null, null, null, null, caughtUp, false, queues);
        }

        static Answer empty(boolean caughtUp) {
            return new Answer(null, null, null, null, null, null, caughtUp);
        }

        /** The asked instance no longer holds the job's partition (it moved): the asker answers 503, never a 404. */
        static Answer moved() {
            return new Answer(null, null, null, null, null, null, false, true);
        }
    }
}
