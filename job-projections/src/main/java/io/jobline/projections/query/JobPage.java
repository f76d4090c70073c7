package io.jobline.projections.query;

import java.util.List;

import io.jobline.projections.view.JobView;

/**
 * One page of a listing, how many jobs matched in all, and the cursor the next page starts after (null when this
 * page was not full: there is no next one).
 */
public record JobPage(List<JobView> jobs, long count, String next) {
}
