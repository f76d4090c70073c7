package io.jobline.projections.query;

import java.util.List;

import io.jobline.projections.view.JobView;

/** One page of a listing and how many jobs matched in all. */
public record JobPage(List<JobView> jobs, long count) {
}
