package io.jobline.api.workers;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The attempts this instance's long polls handed out lately. An instance that is not clustered (no advertised URL)
 * may not have the view of a job it handed to a worker (the views are split across instances by partition): the
 * worker's calls for that attempt are then let through to the decider, which fences them by attempt. In a cluster,
 * any instance reads the job's view from its holder, so a worker's calls may go to any instance.
 */
@Component
class HandedOut {

    private static final int REMEMBERED = 100_000;

    private final Map<String, CurrentAttempt> attempts = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CurrentAttempt> eldest) {
            return size() > REMEMBERED;
        }
    };

    synchronized void handedOut(CurrentAttempt attempt) {
        attempts.put(attempt.jobId(), attempt);
    }

    /** The attempt as handed out, when it is the one this instance handed out last for the job. */
    synchronized java.util.Optional<CurrentAttempt> find(String jobId, int attempt) {
        CurrentAttempt handed = attempts.get(jobId);
        return java.util.Optional.ofNullable(handed != null && handed.attempt() == attempt ? handed : null);
    }
}
