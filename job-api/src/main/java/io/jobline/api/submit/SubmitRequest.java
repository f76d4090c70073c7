package io.jobline.api.submit;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What a client asked for; {@code options}, {@code webhook} (the job's notify) and {@code idempotencyKey} may be null;
 * {@code keyId}, the id of the key it came with (for that key's own quotas), too.
 */
record SubmitRequest(String type, JsonNode input, JsonNode options, JsonNode webhook, List<Upload> uploads, String owner,
                     String idempotencyKey, String keyId) {
}
