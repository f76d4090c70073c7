package io.jobline.projections.query;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/**
 * A job's entry in the listing index: what a {@link JobFilter} looks at, so a listing reads only the views of the
 * page it returns.
 */
public record ListedJob(JobStatus status, String type, String owner) {

    public static ListedJob of(JobView job) {
        return new ListedJob(job.status(), job.type(), job.owner());
    }
}
