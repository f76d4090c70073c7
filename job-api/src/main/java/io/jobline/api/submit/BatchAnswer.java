package io.jobline.api.submit;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to a batch: every job, each accepted (pending) or not confirmed in time (unconfirmed). */
record BatchAnswer(int count, long accepted, long unconfirmed,
                   @Schema(description = "In the batch's order") List<SubmittedJob> jobs) {
}
