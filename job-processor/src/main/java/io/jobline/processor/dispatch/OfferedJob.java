package io.jobline.processor.dispatch;

import io.jobline.processor.decider.JobState;
import io.jobline.processor.decider.Offers;
import io.jobline.schemas.offer.JobOffer;

/**
 * An offered job whose start was granted to a worker: the offer (everything the attempt needs) and the attempt it
 * runs, which fences every report; and the trace it is traced under (null with tracing off).
 */
public record OfferedJob(JobOffer offer, String workerId, String traceParent) {

    public String jobId() {
        return offer.getJobId();
    }

    /** The attempt this worker runs: the one after the offered one. */
    public int attempt() {
        return offer.getAttempt() + 1;
    }

    /** The running attempt as a worker of this process runs it. */
    public JobState runningState() {
        return Offers.started(offer, workerId).withTraceParent(traceParent);
    }
}
