package io.jobline.api.control;

import java.time.Instant;
import java.util.List;

/** The answer to POST /api/jobs/cleanup: the jobs whose deletion was accepted. */
record CleanupAnswer(int deleted, Instant finishedBefore, List<String> jobIds, String message) {
}
