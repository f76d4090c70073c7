package io.jobline.core.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jobline.core.policy.Policy;
import io.jobline.schemas.common.FileRef;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

/**
 * Builds a job's event history the way the decider writes it: sequence numbers 1, 2, 3, ..., the attempt rising
 * with each start, timestamps one second apart from {@link #T0}.
 */
public final class EventLog {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final String jobId;
    private final List<JobEvent> events = new ArrayList<>();
    private final List<String> stages = new ArrayList<>();
    private int attempt;
    private int completedStages;

    private EventLog(String jobId) {
        this.jobId = jobId;
    }

    public static EventLog of(String jobId) {
        return new EventLog(jobId);
    }

    public EventLog submitted(String type, String owner, String... stageNames) {
        return submitted(type, owner, null, stageNames);
    }

    /** Submitted with a retry and timeout policy (null: none). */
    public EventLog submitted(String type, String owner, Policy policy, String... stageNames) {
        stages.addAll(Arrays.asList(stageNames));
        return add(new JobSubmitted(type, owner, "{}", List.of(), List.copyOf(stages),
                policy == null ? null : policy.toAvro(), null, null, null, 0, null, null, false, null), attempt);
    }

    /** Submitted with uploaded files. */
    public EventLog submittedWithFiles(String type, String owner, List<FileRef> files, String... stageNames) {
        stages.addAll(Arrays.asList(stageNames));
        return add(new JobSubmitted(type, owner, "{}", List.copyOf(files), List.copyOf(stages), null, null, null, null, 0,
                null, null, false, null), attempt);
    }

    /** Submitted as a job of a type with dynamic stages: {@code stageNames} is its initial plan. */
    public EventLog submittedDynamic(String type, Policy policy, String... stageNames) {
        stages.addAll(Arrays.asList(stageNames));
        return add(new JobSubmitted(type, "anonymous", "{}", List.of(), List.copyOf(stages),
                policy == null ? null : policy.toAvro(), null, null, null, 0, null, null, true, null), attempt);
    }

    /** Submitted with an Idempotency-Key (and the hash of its request). */
    public EventLog submittedWithKey(String type, String owner, String idempotencyKey, String requestHash, String... stageNames) {
        stages.addAll(Arrays.asList(stageNames));
        return add(new JobSubmitted(type, owner, "{}", List.of(), List.copyOf(stages), null, idempotencyKey, requestHash,
                null, 0, null, null, false, null), attempt);
    }

    public EventLog submittedDemo(int stageCount) {
        String[] names = new String[stageCount];
        for (int i = 0; i < stageCount; i++) {
            names[i] = "stage-" + (i + 1);
        }
        return submitted("demo", "anonymous", names);
    }

    public EventLog started(String workerId) {
        attempt++;
        return add(new JobStarted(workerId, completedStages + 1, null), attempt);
    }

    public EventLog stageStarted(int stage) {
        return add(new StageStarted(stage, stages.get(stage - 1)), attempt);
    }

    public EventLog progress(int stage, int progress, String message) {
        return add(new ProgressReported(stage, progress, message), attempt);
    }

    public EventLog stageCompleted(int stage, String checkpoint) {
        completedStages = stage;
        return add(new StageCompleted(stage, stages.get(stage - 1), checkpoint, null), attempt);
    }

    /** Stage {@code stage} completed, its worker declaring the stages still to run after it. */
    public EventLog stageCompleted(int stage, String checkpoint, List<String> nextStages) {
        completedStages = stage;
        String name = stages.get(stage - 1);
        stages.subList(stage, stages.size()).clear();
        stages.addAll(nextStages);
        return add(new StageCompleted(stage, name, checkpoint, List.copyOf(nextStages)), attempt);
    }

    /** Starts, runs and completes every stage, then completes the job with {@code resultJson}. */
    public EventLog ranToCompletion(String workerId, String resultJson) {
        started(workerId);
        for (int stage = completedStages + 1; stage <= stages.size(); stage++) {
            stageStarted(stage).progress(stage, stage * 100 / stages.size(), "stage " + stage).stageCompleted(stage, null);
        }
        return completed(resultJson, List.of());
    }

    public EventLog completed(String resultJson, List<FileRef> artifacts) {
        return add(new JobCompleted(resultJson, artifacts), attempt);
    }

    public EventLog failed(String error, Integer stage) {
        return add(new JobFailed(error, stage, false, false), attempt);
    }

    public EventLog cancelled(String reason) {
        return add(new JobCancelled(reason, null), attempt);
    }

    public EventLog deleted() {
        return add(new JobDeleted(null, null), attempt);
    }

    /** Appends an event with an explicit attempt and sequence, as a zombie or a duplicate would look. */
    public EventLog raw(Object payload, int eventAttempt, long sequence) {
        events.add(event(payload, eventAttempt, sequence));
        return this;
    }

    public List<JobEvent> events() {
        return List.copyOf(events);
    }

    public JobEvent last() {
        return events.get(events.size() - 1);
    }

    public String jobId() {
        return jobId;
    }

    private EventLog add(Object payload, int eventAttempt) {
        events.add(event(payload, eventAttempt, events.size() + 1));
        return this;
    }

    private JobEvent event(Object payload, int eventAttempt, long sequence) {
        return JobEvent.newBuilder()
                .setEventId(jobId + "-e" + sequence + "-" + events.size())
                .setJobId(jobId)
                .setTimestamp(T0.plusSeconds(sequence))
                .setAttempt(eventAttempt)
                .setSequence(sequence)
                .setPayload(payload)
                .build();
    }
}
