package io.jobline.processor.jobtype.demo;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.jobline.processor.jobtype.JobType;
import io.jobline.processor.jobtype.JsonInputs;
import io.jobline.processor.jobtype.StageContext;
import io.jobline.processor.files.StoredFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A job that only takes time: {@code {"stages": 3, "stage_ms": 500, "fail_at_stage": null}}. Each stage sleeps
 * {@code stage_ms} in a few steps, reporting progress after each; {@code fail_at_stage} (1-based) fails the job
 * half-way through that stage. Result: {@code {"stages_completed": N}}.
 */
public final class DemoJobType implements JobType {

    public static final String NAME = "demo";
    private static final int STEPS_PER_STAGE = 5;
    private static final Set<String> FIELDS = Set.of("stages", "stage_ms", "fail_at_stage");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> plan(JsonNode input, List<StoredFile> files) {
        Settings settings = Settings.of(input);
        return IntStream.rangeClosed(1, settings.stages()).mapToObj(i -> "stage-" + i).toList();
    }

    @Override
    public JsonNode runStage(StageContext context) throws InterruptedException {
        Settings settings = Settings.of(context.input());
        String label = "Stage " + context.stage() + " of " + context.stagesTotal() + " (stage-" + context.stage() + ")";
        for (int step = 1; step <= STEPS_PER_STAGE; step++) {
            Thread.sleep(settings.stageMs() / STEPS_PER_STAGE);
            if (settings.failAtStage() != null && settings.failAtStage() == context.stage() && step > STEPS_PER_STAGE / 2) {
                throw new IllegalStateException("Demo failure in stage " + context.stage() + " of "
                        + context.stagesTotal() + " (fail_at_stage=" + settings.failAtStage() + ")");
            }
            context.progress((double) step / STEPS_PER_STAGE, label + ": step " + step + " of " + STEPS_PER_STAGE);
        }
        return JsonNodeFactory.instance.objectNode().put("stages_completed", context.stage());
    }

    private record Settings(int stages, int stageMs, Integer failAtStage) {
        static Settings of(JsonNode raw) {
            JsonNode input = JsonInputs.object(NAME, raw, FIELDS);
            int stages = JsonInputs.intField(NAME, input, "stages", 3, 1, 100);
            int stageMs = JsonInputs.intField(NAME, input, "stage_ms", 500, 0, 3_600_000);
            Integer failAt = JsonInputs.intField(NAME, input, "fail_at_stage", null, 1, stages);
            return new Settings(stages, stageMs, failAt);
        }
    }
}
