package io.jobline.processor.jobtype.noop;

import java.util.List;
import java.util.stream.IntStream;

import io.jobline.core.jobtype.JsonInputs;
import io.jobline.core.support.Json;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * A job whose stages do nothing: {@code {"stages": 1}}. It measures what the service itself costs per job (the
 * benchmarks' throughput and latency figures use it). Result: null.
 */
public final class NoopJobType implements JobType {

    public static final String NAME = "noop";
    private static final JsonNode SCHEMA = Json.resource(NoopJobType.class, "/jobtypes/noop.schema.json");

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
        int stages = JsonInputs.intField(NAME, JsonInputs.object(NAME, input, java.util.Set.of("stages")), "stages", 1, 1, 100);
        return IntStream.rangeClosed(1, stages).mapToObj(i -> "stage-" + i).toList();
    }

    @Override
    public JsonNode runStage(StageContext context) {
        return null;
    }
}
