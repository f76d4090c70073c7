package io.jobline.projections.stats;

/** The pending and running jobs of one type and priority, in the partitions this instance holds. */
public record ActiveJobs(String type, int priority, long pending, long running) {
}
