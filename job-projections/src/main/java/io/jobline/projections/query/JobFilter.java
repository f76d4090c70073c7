package io.jobline.projections.query;

import io.jobline.processor.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/** Which jobs a listing returns; a null field matches everything. */
public record JobFilter(JobStatus status, String type, String owner) {

    public static final JobFilter ALL = new JobFilter(null, null, null);

    public boolean matches(JobView job) {
        return (status == null || job.status() == status)
                && (type == null || type.equals(job.type()))
                && (owner == null || owner.equals(job.owner()));
    }
}
