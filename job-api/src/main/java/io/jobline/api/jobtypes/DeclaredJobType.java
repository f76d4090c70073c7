package io.jobline.api.jobtypes;

import java.time.Instant;
import java.util.List;

import io.jobline.core.jobtype.InputSchema;
import io.jobline.core.policy.Policy;
import io.jobline.core.support.Json;
import io.jobline.schemas.jobtype.JobTypeDeclared;
import io.jobline.schemas.jobtype.JobTypeEvent;
import tools.jackson.databind.JsonNode;

/**
 * A job type declared at runtime, as of one version: what a submit is checked against and what its jobs carry.
 * Its stages run in workers outside the service (the worker protocol).
 *
 * @param dedupKey         JSON Pointer into the input whose value is the duplicate-run key, or null
 * @param stages           the plan of its jobs; with dynamic stages, the plan a job starts with
 * @param concurrencyLimit most jobs of the type running at once across the cluster, or null
 * @param dynamicStages    whether its workers declare the stages as they go (next_stages on a stage's completion)
 */
public record DeclaredJobType(String name, int version, String description, JsonNode inputSchemaDocument,
                              List<String> stages, Policy policy, String dedupKey, Integer concurrencyLimit,
                              boolean dynamicStages, Instant declaredAt) {

    static DeclaredJobType of(JobTypeEvent event, JobTypeDeclared declared) {
        return new DeclaredJobType(event.getName(), event.getVersion(), declared.getDescription(),
                Json.parse(declared.getInputSchema()), List.copyOf(declared.getStages()), Policy.of(declared.getPolicy()),
                declared.getDedupKey(), declared.getConcurrencyLimit(), declared.getDynamicStages(), event.getTimestamp());
    }

    public InputSchema inputSchema() {
        return InputSchema.of(inputSchemaDocument);
    }

    /** The duplicate-run key of an input: the text of the value at {@link #dedupKey}, or null when absent. */
    public String dedupKeyOf(JsonNode input) {
        if (dedupKey == null) {
            return null;
        }
        JsonNode value = input.at(dedupKey);
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asString() : Json.write(value);
    }

    /** Whether this version says the same as {@code other}, but for the version and when it was declared. */
    boolean sameDefinitionAs(DeclaredJobType other) {
        return java.util.Objects.equals(description, other.description)
                && inputSchemaDocument.equals(other.inputSchemaDocument) && stages.equals(other.stages)
                && policy.equals(other.policy) && java.util.Objects.equals(dedupKey, other.dedupKey)
                && java.util.Objects.equals(concurrencyLimit, other.concurrencyLimit)
                && dynamicStages == other.dynamicStages;
    }
}
