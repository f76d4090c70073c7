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

    /**
     * A job of that partition just became pending (submitted, or retried by hand): the id of a worker of this
     * process that takes it at once, with its slot already reserved, or null to let it wait. Lets the decider start
     * the job in the same step that accepted it, without a StartJob round trip through Kafka.
     */
    default String claimSlot(int partition, JobState job) {
        return null;
    }

    /** A command of that partition was decided (accepted or rejected). */
    default void decided(int partition, JobCommand command, Decision decision) {
    }

    /**
     * Whether this running job waits here to be taken over: its worker is gone (this process's previous life, or
     * the instance that held the partition before) and a worker of this process starts its next attempt as soon as
     * it has a slot. Its deadlines belong to the lost attempt; the decider does not time it out meanwhile.
     */
    default boolean awaitsTakeover(String jobId) {
        return false;
    }

    /**
     * Whether a worker of this process asked to start this pending job (its StartJob is on its way): the decider
     * does not offer it to other workers meanwhile.
     */
    default boolean awaitsStart(String jobId) {
        return false;
    }

    /** This instance no longer owns the partition. */
    default void partitionClosed(int partition) {
    }
}
