package io.jobline.api.live;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.jobline.api.status.JobResponse;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.ProgressReported;
import tools.jackson.databind.ObjectMapper;

/** Builds the messages of the push protocol, with the same JSON mapper (snake_case) as the REST API. */
@Component
public class LiveMessages {

    public static final String CONNECTION = "connection";
    public static final String SUBSCRIBED = "subscribed";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String ERROR = "error";
    public static final String JOB_PROGRESS = "job_progress";
    public static final String JOB_STATUS = "job_status";
    public static final String RESYNC = "resync";

    private final ObjectMapper json;

    LiveMessages(ObjectMapper json) {
        this.json = json;
    }

    public LiveMessage connection() {
        return reply(CONNECTION, null, "Connected to Jobline. Send {\"subscribe\": \"<job_id>\"} or {\"subscribe\": \"*\"}");
    }

    public LiveMessage subscribed(String jobId) {
        return reply(SUBSCRIBED, jobId, "*".equals(jobId) ? "Subscribed to every job" : "Subscribed to job " + jobId);
    }

    public LiveMessage unsubscribed(String jobId) {
        return reply(UNSUBSCRIBED, jobId, "Unsubscribed from " + ("*".equals(jobId) ? "every job" : "job " + jobId));
    }

    public LiveMessage error(String jobId, String message) {
        return reply(ERROR, jobId, message);
    }

    public LiveMessage resync(String message) {
        return reply(RESYNC, null, message);
    }

    /** The message for a folded event: progress for a progress report, the whole job for anything else. */
    public LiveMessage forEvent(JobEvent event, JobView view) {
        if (event.getPayload() instanceof ProgressReported progress && view != null) {
            return progress(event, progress, view);
        }
        return view == null ? deleted(event.getJobId(), event.getSequence()) : status(view);
    }

    public LiveMessage progress(JobEvent event, ProgressReported progress, JobView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_PROGRESS);
        body.put("job_id", event.getJobId());
        body.put("progress", progress.getProgress());
        body.put("message", progress.getMessage());
        int stage = progress.getStage();
        body.put("stage", stage >= 1 && stage <= view.stages().size() ? view.stages().get(stage - 1).name() : null);
        body.put("seq", event.getSequence());
        return new LiveMessage(JOB_PROGRESS, event.getJobId(), event.getSequence(), null, json.writeValueAsString(body));
    }

    public LiveMessage status(JobView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_STATUS);
        body.put("job_id", view.jobId());
        body.put("status", JobResponse.of(view, Instant.now()));
        body.put("seq", view.lastSequence());
        return new LiveMessage(JOB_STATUS, view.jobId(), view.lastSequence(), null, json.writeValueAsString(body));
    }

    private LiveMessage deleted(String jobId, long seq) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_STATUS);
        body.put("job_id", jobId);
        body.put("status", Map.of("job_id", jobId, "status", "deleted"));
        body.put("seq", seq);
        return new LiveMessage(JOB_STATUS, jobId, seq, null, json.writeValueAsString(body));
    }

    private LiveMessage reply(String type, String jobId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        if (jobId != null) {
            body.put("job_id", jobId);
        }
        body.put("message", message);
        return new LiveMessage(type, jobId, 0, null, json.writeValueAsString(body));
    }
}
