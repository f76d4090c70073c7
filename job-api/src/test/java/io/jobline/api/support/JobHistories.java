package io.jobline.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;

import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

/** What the crash tests check of each job's events as read from job-events, and what they count. */
public final class JobHistories {

    private JobHistories() {
    }

    /** Exactly one terminal event, a JobCompleted; sequence in order; no first stage started again after a checkpoint. */
    public static void assertCompletedOnceWithoutRerunningACheckpointedStage(String jobId, List<JobEvent> events) {
        assertThat(events.stream().filter(JobHistories::isTerminal)).as("terminal events of " + jobId).hasSize(1)
                .allMatch(e -> e.getPayload() instanceof JobCompleted);
        assertThat(events).extracting(JobEvent::getSequence).as("sequence of " + jobId).isSorted().doesNotHaveDuplicates();
        int firstCheckpoint = indexOfFirstCheckpoint(events);
        assertThat(events.subList(firstCheckpoint + 1, events.size()))
                .as("first stage started again after a checkpoint in " + jobId)
                .noneMatch(e -> e.getPayload() instanceof StageStarted s && s.getStage() == 1);
    }

    public static boolean isTerminal(JobEvent event) {
        return event.getPayload() instanceof JobCompleted || event.getPayload() instanceof JobFailed
                || event.getPayload() instanceof JobCancelled;
    }

    /** Attempts over all jobs, jobs started more than once, and of those the ones resumed after a checkpoint. */
    public record Takeovers(int attempts, int restarted, int resumedAfterCheckpoint) {

        public static Takeovers of(Collection<List<JobEvent>> histories) {
            int attempts = 0;
            int restarted = 0;
            int resumed = 0;
            for (List<JobEvent> events : histories) {
                long starts = events.stream().filter(e -> e.getPayload() instanceof JobStarted).count();
                attempts += (int) starts;
                if (starts > 1) {
                    restarted++;
                    if (events.stream().anyMatch(e -> e.getPayload() instanceof JobStarted s && s.getFirstStage() > 1)) {
                        resumed++;
                    }
                }
            }
            return new Takeovers(attempts, restarted, resumed);
        }
    }

    private static int indexOfFirstCheckpoint(List<JobEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getPayload() instanceof StageCompleted) {
                return i;
            }
        }
        return events.size();
    }
}
