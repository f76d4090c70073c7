package io.jobline.processor.decider;

import java.util.List;

import io.jobline.schemas.command.JobCommand;

/**
 * Told what the decider does in this process, partition by partition: the runner uses it to start the jobs of
 * the partitions this instance owns and to see cancellations at once. Calls come from a Streams thread and must
 * not block.
 */
public interface DecisionListener {

    /** This instance took over a partition; these of its jobs are pending or running. */
    default void partitionAssigned(int partition, List<JobState> activeJobs) {
    }

    /** A command of that partition was decided (accepted or rejected). */
    default void decided(int partition, JobCommand command, Decision decision) {
    }

    /** This instance no longer owns the partition. */
    default void partitionClosed(int partition) {
    }
}
