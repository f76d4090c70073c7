package io.jobline.api.submit;

import io.jobline.processor.decider.Placement;

import java.util.List;

import io.jobline.core.policy.Policy;
import io.jobline.schemas.common.Notify;
import io.jobline.worker.JobType;
import io.jobline.worker.StoredFile;

/**
 * A request checked against its job type: what the SubmitJob will say. {@code files} describes the uploads (names,
 * sizes), not yet stored; {@code dynamicStages}: the job's worker may replace the rest of {@code stages} as it goes;
 * {@code secretPaths} are where the input's secrets are, sealed before the input is sent; {@code webhook}: the job's own
 * webhook, or null.
 */
record JobPlan(String type, Integer typeVersion, Integer concurrencyLimit, Policy policy, List<String> stages,
               boolean dynamicStages, String dedupKey, String hash, List<StoredFile> files, List<String> secretPaths,
               Notify webhook) {

    /**
     * The id the job gets: {@code id}, or for a type with a concurrency limit or a job with a dedup key the derivation
     * of it that lives where the decider sees the others (see {@link Placement}).
     */
    String placedId(String id, int partitions) {
        return Placement.placedId(id, type, concurrencyLimit, dedupKey, partitions);
    }
}
