package io.jobline.api.live;

/**
 * One message pushed to clients.
 *
 * @param owner    the owner of the job it is about, who (with admins) may see it; null for replies, and for the
 *                 deletion of a job whose owner this process no longer knew (admins only see those)
 * @param seq      the job's event sequence number it reflects (0 for messages about no job)
 * @param streamId position in this process's stream of all updates, {@code <epoch>-<n>}; null for replies
 * @param json     the message as sent over WebSocket and as SSE data
 */
public record LiveMessage(String type, String jobId, String owner, long seq, String streamId, String json) {

    public LiveMessage withStreamId(String id) {
        return new LiveMessage(type, jobId, owner, seq, id, json);
    }

    public LiveMessage withOwner(String jobOwner) {
        return new LiveMessage(type, jobId, jobOwner, seq, streamId, json);
    }
}
