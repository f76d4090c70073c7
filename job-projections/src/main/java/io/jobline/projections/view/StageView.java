package io.jobline.projections.view;

import java.time.Instant;

/** One stage of a job as last run: when it started and completed (null while not). */
public record StageView(int number, String name, Instant startedAt, Instant completedAt) {
}
