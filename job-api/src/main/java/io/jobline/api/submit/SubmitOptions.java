package io.jobline.api.submit;

import java.util.Set;

import io.jobline.api.problem.ApiException;
import io.jobline.core.policy.Policy;
import tools.jackson.databind.JsonNode;

/**
 * The optional {@code "options"} of a submit: retries and timeouts for this job, laid over its type's defaults.
 * <pre>{"max_attempts": 3, "backoff_ms": 1000, "backoff_multiplier": 2, "backoff_max_ms": 60000,
 *  "timeout_ms": 1800000, "stage_timeout_ms": 600000, "heartbeat_timeout_ms": 60000, "max_restarts": 5}</pre>
 */
public final class SubmitOptions {

    static final long MAX_DURATION_MS = 7L * 24 * 3600 * 1000;
    private static final Set<String> FIELDS = Set.of("max_attempts", "backoff_ms", "backoff_multiplier",
            "backoff_max_ms", "timeout_ms", "stage_timeout_ms", "heartbeat_timeout_ms", "max_restarts", "priority");

    private SubmitOptions() {
    }

    /** A policy in the names of the options (null: that timeout is off). */
    public static java.util.Map<String, Object> describe(Policy policy) {
        java.util.Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("max_attempts", policy.maxAttempts());
        options.put("backoff_ms", policy.backoffInitialMs());
        options.put("backoff_multiplier", policy.backoffMultiplier());
        options.put("backoff_max_ms", policy.backoffMaxMs());
        options.put("timeout_ms", policy.jobTimeoutMs());
        options.put("stage_timeout_ms", policy.stageTimeoutMs());
        options.put("heartbeat_timeout_ms", policy.heartbeatTimeoutMs());
        options.put("max_restarts", policy.effectiveMaxRestarts());
        return options;
    }

    public static Policy policy(Policy defaults, JsonNode options) {
        if (options == null || options.isNull()) {
            return defaults;
        }
        if (!options.isObject()) {
            throw ApiException.badRequest("'options' must be a JSON object");
        }
        for (String field : options.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiException.badRequest("Unknown option '" + field + "'; options are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        priority(options);
        Policy policy = defaults.withMaxAttempts((int) number(options, "max_attempts", defaults.maxAttempts(), 1, 100));
        long backoffMax = number(options, "backoff_max_ms", policy.backoffMaxMs(), 0, MAX_DURATION_MS);
        long backoff = number(options, "backoff_ms", Math.min(policy.backoffInitialMs(), backoffMax), 0, backoffMax);
        JsonNode multiplier = options.get("backoff_multiplier");
        double factor = policy.backoffMultiplier();
        if (multiplier != null && !multiplier.isNull()) {
            if (!multiplier.isNumber() || multiplier.doubleValue() < 1 || multiplier.doubleValue() > 10) {
                throw ApiException.badRequest("Option 'backoff_multiplier' must be a number from 1 to 10");
            }
            factor = multiplier.doubleValue();
        }
        return policy.withBackoff(backoff, factor, backoffMax).withTimeouts(
                timeout(options, "timeout_ms", policy.jobTimeoutMs()),
                timeout(options, "stage_timeout_ms", policy.stageTimeoutMs()),
                timeout(options, "heartbeat_timeout_ms", policy.heartbeatTimeoutMs()))
                .withMaxRestarts(options.hasNonNull("max_restarts")
                        ? Integer.valueOf((int) number(options, "max_restarts", 0, 0, 100)) : policy.maxRestarts());
    }

    /** A timeout option: milliseconds from 100 to a week, or null to turn that timeout off. */
    private static Long timeout(JsonNode options, String field, Long fallback) {
        if (!options.has(field)) {
            return fallback;
        }
        if (options.get(field).isNull()) {
            return null;
        }
        return number(options, field, 0, 100, MAX_DURATION_MS);
    }

    /** Highest and lowest priority; higher is handed out first. */
    static final int MAX_PRIORITY = 100;

    /** The job's priority from its options: -100 to 100, 0 when not given. Validated with the rest by {@link #policy}. */
    static int priority(JsonNode options) {
        if (options == null || !options.isObject()) {
            return 0;
        }
        return (int) number(options, "priority", 0, -MAX_PRIORITY, MAX_PRIORITY);
    }

    private static long number(JsonNode options, String field, long fallback, long min, long max) {
        JsonNode value = options.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw ApiException.badRequest("Option '" + field + "' must be an integer from " + min + " to " + max);
        }
        return value.longValue();
    }
}
