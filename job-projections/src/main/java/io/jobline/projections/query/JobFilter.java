package io.jobline.projections.query;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/** Which jobs a listing returns; a null field matches everything. */
public record JobFilter(JobStatus status, String type, String owner) {

    public static final JobFilter ALL = new JobFilter(null, null, null);

    public boolean matches(JobView job) {
        return matches(job.status(), job.type(), job.owner());
    }

    public boolean matches(ListedJob job) {
        return matches(job.status(), job.type(), job.owner());
    }

    private boolean matches(JobStatus jobStatus, String jobType, String jobOwner) {
        return (status == null || jobStatus == status)
                && (type == null || type.equals(jobType))
                && (owner == null || owner.equals(jobOwner));
    }
}
