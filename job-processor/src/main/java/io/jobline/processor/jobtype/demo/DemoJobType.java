package io.jobline.processor.jobtype.demo;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.jobline.core.jobtype.JsonInputs;
import io.jobline.core.support.Json;
import io.jobline.worker.FatalJobException;
import io.jobline.worker.InvalidJobInputException;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A job that only takes time: {@code {"stages": 3, "stage_ms": 500}}. Each stage sleeps {@code stage_ms} in a few
 * steps, reporting progress after each (and a heartbeat at least every second). Result: {@code {"stages_completed": N}}.
 * To try retries and timeouts it can misbehave on its first attempts:
 * <ul>
 *   <li>{@code fail_at_stage}: fails half-way through that stage (1-based), retryably unless {@code "fatal": true};
 *       on every attempt, or only the first {@code fail_attempts};</li>
 *   <li>{@code hang_at_stage}: stops reporting half-way through that stage until interrupted, as a hung worker
 *       would; on every attempt, or only the first {@code hang_attempts}.</li>
 * </ul>
 * The dedup key is {@code dedup_key} from the input, when given.
 */
public final class DemoJobType implements JobType {

    public static final String NAME = "demo";
    private static final int STEPS_PER_STAGE = 5;
    private static final long HEARTBEAT_SLICE_MS = 1_000;
    private static final Set<String> FIELDS = Set.of("stages", "stage_ms", "fail_at_stage", "fail_attempts", "fatal",
            "hang_at_stage", "hang_attempts", "dedup_key");

    private static final JsonNode SCHEMA = Json.resource(DemoJobType.class, "/jobtypes/demo.schema.json");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode inputSchema() {
        return SCHEMA;
    }

    @Override
    public List<String> plan(JsonNode input, List<StoredFile> files) {
        Settings settings = Settings.of(input);
        return IntStream.rangeClosed(1, settings.stages()).mapToObj(i -> "stage-" + i).toList();
    }

    @Override
    public String dedupKey(JsonNode input) {
        JsonNode key = input == null ? null : input.get("dedup_key");
        return key == null || key.isNull() ? null : key.asString();
    }

    @Override
    public JsonNode runStage(StageContext context) throws InterruptedException {
        Settings settings = Settings.of(context.input());
        String label = "Stage " + context.stage() + " of " + context.stagesTotal() + " (stage-" + context.stage() + ")";
        for (int step = 1; step <= STEPS_PER_STAGE; step++) {
            sleep(context, settings.stageMs() / STEPS_PER_STAGE);
            if (step > STEPS_PER_STAGE / 2) {
                misbehave(context, settings);
            }
            context.progress((double) step / STEPS_PER_STAGE, label + ": step " + step + " of " + STEPS_PER_STAGE);
        }
        return JsonNodeFactory.instance.objectNode().put("stages_completed", context.stage());
    }

    private static void misbehave(StageContext context, Settings settings) throws InterruptedException {
        if (settings.failAtStage() != null && settings.failAtStage() == context.stage()
                && context.attempt() <= settings.failAttempts()) {
            String message = "Demo failure in stage " + context.stage() + " of " + context.stagesTotal()
                    + " (fail_at_stage=" + settings.failAtStage() + ", attempt " + context.attempt() + ")";
            throw settings.fatal() ? new FatalJobException(message) : new IllegalStateException(message);
        }
        if (settings.hangAtStage() != null && settings.hangAtStage() == context.stage()
                && context.attempt() <= settings.hangAttempts()) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Sleeps in slices, sending a heartbeat between them, so a long stage is not taken for a lost one. */
    private static void sleep(StageContext context, long ms) throws InterruptedException {
        long left = ms;
        while (left > 0) {
            long slice = Math.min(left, HEARTBEAT_SLICE_MS);
            Thread.sleep(slice);
            left -= slice;
            if (left > 0) {
                context.heartbeat();
            }
        }
    }

    private record Settings(int stages, int stageMs, Integer failAtStage, int failAttempts, boolean fatal,
                            Integer hangAtStage, int hangAttempts) {
        static Settings of(JsonNode raw) {
            JsonNode input = JsonInputs.object(NAME, raw, FIELDS);
            int stages = JsonInputs.intField(NAME, input, "stages", 3, 1, 100);
            int stageMs = JsonInputs.intField(NAME, input, "stage_ms", 500, 0, 3_600_000);
            Integer failAt = JsonInputs.intField(NAME, input, "fail_at_stage", null, 1, stages);
            int failAttempts = JsonInputs.intField(NAME, input, "fail_attempts", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
            JsonNode fatal = input.get("fatal");
            if (fatal != null && !fatal.isBoolean()) {
                throw new InvalidJobInputException(NAME + ": 'fatal' must be true or false");
            }
            Integer hangAt = JsonInputs.intField(NAME, input, "hang_at_stage", null, 1, stages);
            int hangAttempts = JsonInputs.intField(NAME, input, "hang_attempts", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
            JsonNode dedup = input.get("dedup_key");
            if (dedup != null && !dedup.isString()) {
                throw new InvalidJobInputException(NAME + ": 'dedup_key' must be a string");
            }
            return new Settings(stages, stageMs, failAt, failAttempts, fatal != null && fatal.asBoolean(), hangAt, hangAttempts);
        }
    }
}
