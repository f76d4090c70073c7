package io.jobline.api.submit;

import java.util.List;

import io.jobline.core.policy.Policy;
import io.jobline.worker.JobType;
import io.jobline.worker.StoredFile;

/**
 * A request checked against its job type: what the SubmitJob will say. {@code files} describes the uploads (names,
 * sizes), not yet stored.
 */
record JobPlan(JobType type, Policy policy, List<String> stages, String dedupKey, String hash, List<StoredFile> files) {
}
