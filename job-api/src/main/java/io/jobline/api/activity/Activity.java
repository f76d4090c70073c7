package io.jobline.api.activity;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/jobs/activity}: the jobs that finished in the last hour, minute by minute (60 minutes, the current
 * one last), and per type the run time (first start to end) of those that ran, at the median and the 95th percentile.
 */
record Activity(Instant from, Instant to, long completed, long failed, List<Minute> minutes, List<RunTimes> durations) {

    /** @param minute the minute's start */
    record Minute(Instant minute, long completed, long failed) {
    }

    record RunTimes(String type, int count, double p50Seconds, double p95Seconds) {
    }
}
