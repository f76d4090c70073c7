package io.jobline.projections.view;

import java.time.Instant;

/** Why one attempt of a job failed (an error or a timeout), and when. */
public record AttemptError(int attempt, Integer stage, String error, Instant at) {
}
