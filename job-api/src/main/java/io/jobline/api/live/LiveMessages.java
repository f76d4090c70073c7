package io.jobline.api.live;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.jobline.api.status.JobResponse;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
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

    /**
     * The message for a folded event: the whole job (job_status) when its status changed; otherwise, for progress
     * reports and stage boundaries, the compact job_progress with the job's progress and message after the event.
     * A deletion ({@code view} null) has no owner: the caller adds it when it knows it.
     */
    public LiveMessage forEvent(JobEvent event, JobView view) {
        if (view == null) {
            return deleted(event.getJobId(), event.getSequence());
        }
        Object payload = event.getPayload();
        if (payload instanceof ProgressReported progress) {
            return progress(event, progress, view);
        }
        if (payload instanceof StageStarted || payload instanceof StageCompleted) {
            return progress(event.getJobId(), view.owner(), event.getSequence(), view.progress(), view.progressMessage(), view.stage());
        }
        return status(view);
    }

    /**
     * A missed event replayed from the log as job_progress: progress reports as they were, stage boundaries with
     * the progress they stand for. Null for events that are not progress (status changes come as the snapshot).
     */
    public LiveMessage replayed(JobEvent event, JobView view) {
        Object payload = event.getPayload();
        int total = Math.max(1, view.stagesTotal());
        if (payload instanceof ProgressReported progress) {
            return progress(event, progress, view);
        } else if (payload instanceof StageStarted started) {
            return progress(event.getJobId(), view.owner(), event.getSequence(), (started.getStage() - 1) * 100 / total,
                    "Started " + started.getName(), started.getName());
        } else if (payload instanceof StageCompleted completed) {
            // A worker of a job with dynamic stages may have declared the rest of the plan with it: the total then.
            int planned = completed.getNextStages() == null ? total : completed.getStage() + completed.getNextStages().size();
            return progress(event.getJobId(), view.owner(), event.getSequence(), completed.getStage() * 100 / Math.max(1, planned),
                    "Completed " + completed.getName(), completed.getName());
        }
        return null;
    }

    public LiveMessage progress(JobEvent event, ProgressReported progress, JobView view) {
        int stage = progress.getStage();
        String stageName = stage >= 1 && stage <= view.stages().size() ? view.stages().get(stage - 1).name() : null;
        return progress(event.getJobId(), view.owner(), event.getSequence(), progress.getProgress(), progress.getMessage(), stageName);
    }

    private LiveMessage progress(String jobId, String owner, long seq, int progress, String message, String stage) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_PROGRESS);
        body.put("job_id", jobId);
        body.put("progress", progress);
        body.put("message", message);
        body.put("stage", stage);
        body.put("seq", seq);
        return new LiveMessage(JOB_PROGRESS, jobId, owner, seq, null, json.writeValueAsString(body));
    }

    public LiveMessage status(JobView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_STATUS);
        body.put("job_id", view.jobId());
        body.put("status", JobResponse.of(view, Instant.now()));
        body.put("seq", view.lastSequence());
        return new LiveMessage(JOB_STATUS, view.jobId(), view.owner(), view.lastSequence(), null, json.writeValueAsString(body));
    }

    private LiveMessage deleted(String jobId, long seq) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", JOB_STATUS);
        body.put("job_id", jobId);
        body.put("status", Map.of("job_id", jobId, "status", "deleted"));
        body.put("seq", seq);
        return new LiveMessage(JOB_STATUS, jobId, null, seq, null, json.writeValueAsString(body));
    }

    private LiveMessage reply(String type, String jobId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        if (jobId != null) {
            body.put("job_id", jobId);
        }
        body.put("message", message);
        return new LiveMessage(type, jobId, null, 0, null, json.writeValueAsString(body));
    }
}
