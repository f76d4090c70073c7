package io.jobline.api.live;

/**
 * One message pushed to clients.
 *
 * @param seq      the job's event sequence number it reflects (0 for messages about no job)
 * @param streamId position in this process's stream of all updates, {@code <epoch>-<n>}; null for replies
 * @param json     the message as sent over WebSocket and as SSE data
 */
public record LiveMessage(String type, String jobId, long seq, String streamId, String json) {

    public LiveMessage withStreamId(String id) {
        return new LiveMessage(type, jobId, seq, id, json);
    }
}
