package io.jobline.api.submit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.jobline.api.problem.ApiException;

/**
 * Idempotency-Key handling. The job id of a keyed submit is derived from the owner, the key and the UTC day of the
 * submit (a name-based UUID), so two racing requests, in this process or in two, append a SubmitJob for the same id
 * and the decider accepts only the first. A replay looks for the job under today's and yesterday's id and counts it
 * while it is under {@link #WINDOW} old. Requests with the same key in this process are also serialized (see
 * {@link StripedLocks}), so the second one sees the first one's job and is answered 200 with it, or 422 when its
 * request differs.
 */
final class IdempotencyKeys {

    static final Duration WINDOW = Duration.ofHours(24);
    static final int MAX_KEY_LENGTH = 255;

    static String validate(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters without spaces");
        }
        return key;
    }

    /** The id a job submitted with this key on {@code day} (days since the epoch, UTC) gets. */
    static String jobId(String owner, String key, long day) {
        return UUID.nameUUIDFromBytes((owner + "\n" + key + "\n" + day).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The id item {@code index} of a batch submitted with this key on {@code day} gets. Its own name space: no
     * single submit's key can name it (a header value has no line breaks).
     */
    static String batchItemId(String owner, String key, long day, int index) {
        return jobId(owner, "batch\n" + key + "\n" + index, day);
    }

    static long day(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 86_400);
    }
}
