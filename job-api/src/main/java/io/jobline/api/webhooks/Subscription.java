package io.jobline.api.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An owner's webhook subscription: events of {@code events}' kinds of the owner's jobs (of {@code jobTypes}, or of
 * every type when empty) go to {@code url}.
 */
record Subscription(String id, String owner, String url, List<String> events, List<String> jobTypes, Instant createdAt,
                    String createdBy) {

    Subscription {
        events = List.copyOf(events);
        jobTypes = List.copyOf(jobTypes);
    }

    boolean covers(String type) {
        return jobTypes.isEmpty() || jobTypes.contains(type);
    }
}
