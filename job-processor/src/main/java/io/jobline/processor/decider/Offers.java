package io.jobline.processor.decider;

import java.time.Instant;
import java.util.List;

import io.jobline.core.files.FileRefs;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.offer.JobOffer;

/** The offer of a pending job: everything its next attempt needs, so a worker anywhere runs it without a lookup. */
public final class Offers {

    private Offers() {
    }

    public static JobOffer of(JobState job, Instant now) {
        return JobOffer.newBuilder()
                .setJobId(job.jobId())
                .setType(job.type())
                .setTypeVersion(job.typeVersion())
                .setOwner(job.owner())
                .setAttempt(job.attempt())
                .setPriority(job.priority())
                .setInput(job.input())
                .setFiles(FileRefs.toRefs(job.files()))
                .setStages(job.stages())
                .setFirstStage(job.completedStages() + 1)
                .setCheckpoint(job.checkpoint())
                .setPolicy(job.policy() == null ? null : job.policy().toAvro())
                .setOfferedAt(now)
                .build();
    }

    /** The state of the attempt a StartJob for this offer started, as the worker that runs it sees it. */
    public static JobState started(JobOffer offer, String workerId) {
        int first = offer.getFirstStage();
        return new JobState(offer.getJobId(), JobStatus.RUNNING, offer.getType(),
                offer.getOwner(), offer.getInput(), FileRefs.toStored(offer.getFiles()), List.copyOf(offer.getStages()),
                offer.getAttempt() + 1, 0, workerId, first, first - 1, offer.getCheckpoint(), null,
                Policy.of(offer.getPolicy()), 0, null, null, null, null, 0, offer.getPriority(),
                offer.getTypeVersion(), null);
    }
}
