package io.jobline.api.webhooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobline.core.support.Json;
import io.jobline.schemas.common.FileRef;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

/**
 * Which job events a webhook can be told about, by kind (what a destination chooses: terminal, stage, progress),
 * and the body each is sent with: {@code {"type": "job.completed", "timestamp": ..., "data": {...}}}, the Standard
 * Webhooks shape.
 */
public final class WebhookEvents {

    static final String TERMINAL = "terminal";
    static final String STAGE = "stage";
    static final String PROGRESS = "progress";
    static final Set<String> KINDS = Set.of(TERMINAL, STAGE, PROGRESS);

    private WebhookEvents() {
    }

    /** The kind of {@code event}, or null when no webhook is sent for it (submitted, started, retried, ...). */
    static String kindOf(JobEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof JobCompleted || payload instanceof JobFailed || payload instanceof JobCancelled) {
            return TERMINAL;
        }
        if (payload instanceof StageStarted || payload instanceof StageCompleted) {
            return STAGE;
        }
        if (payload instanceof ProgressReported) {
            return PROGRESS;
        }
        return null;
    }

    /** {@code job.completed}, {@code job.failed}, {@code job.cancelled}, {@code job.stage_started}, ... */
    static String typeOf(JobEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof JobCompleted) {
            return "job.completed";
        } else if (payload instanceof JobFailed) {
            return "job.failed";
        } else if (payload instanceof JobCancelled) {
            return "job.cancelled";
        } else if (payload instanceof StageStarted) {
            return "job.stage_started";
        } else if (payload instanceof StageCompleted) {
            return "job.stage_completed";
        } else if (payload instanceof ProgressReported) {
            return "job.progress";
        }
        throw new IllegalArgumentException("No webhook for " + payload.getClass().getSimpleName());
    }

    /** The JSON body sent for {@code event} of a job of {@code jobType}; the same bytes on every try. */
    static String body(JobEvent event, String jobType) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", event.getJobId());
        data.put("job_type", jobType);
        data.put("seq", event.getSequence());
        data.put("attempt", event.getAttempt());
        Object payload = event.getPayload();
        if (payload instanceof JobCompleted c) {
            data.put("status", "completed");
            data.put("result", c.getResultJson() == null ? null : Json.parse(c.getResultJson()));
            data.put("artifacts", c.getArtifacts().stream().map(FileRef::getName).toList());
        } else if (payload instanceof JobFailed f) {
            data.put("status", "failed");
            data.put("error", f.getError());
            data.put("stage", f.getStage());
        } else if (payload instanceof JobCancelled c) {
            data.put("status", "cancelled");
            data.put("reason", c.getReason());
            data.put("by", c.getBy());
        } else if (payload instanceof StageStarted st) {
            data.put("stage", st.getStage());
            data.put("stage_name", st.getName());
        } else if (payload instanceof StageCompleted sc) {
            data.put("stage", sc.getStage());
            data.put("stage_name", sc.getName());
        } else if (payload instanceof ProgressReported p) {
            data.put("stage", p.getStage());
            data.put("progress", p.getProgress());
            data.put("message", p.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeOf(event));
        body.put("timestamp", event.getTimestamp().toString());
        body.put("data", data);
        return Json.MAPPER.writeValueAsString(body);
    }

    /** Checks the kinds a destination asked for: null or empty means terminal only. */
    public static List<String> kinds(List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return List.of(TERMINAL);
        }
        for (String kind : asked) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("Unknown webhook event kind '" + kind + "'; use any of terminal, stage, progress");
            }
        }
        return asked.stream().distinct().sorted().toList();
    }
}
