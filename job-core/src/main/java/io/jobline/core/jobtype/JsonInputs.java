package io.jobline.core.jobtype;

import java.util.Set;

import io.jobline.worker.InvalidJobInputException;
import tools.jackson.databind.JsonNode;

/** Small checks shared by job types that read their settings from a JSON object. */
public final class JsonInputs {

    private JsonInputs() {
    }

    /** The input as an object; null or missing input counts as {}. Fields outside {@code known} are rejected. */
    public static JsonNode object(String type, JsonNode input, Set<String> known) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!input.isObject()) {
            throw new InvalidJobInputException(type + " input must be a JSON object");
        }
        for (String field : input.propertyNames()) {
            if (!known.contains(field)) {
                throw new InvalidJobInputException(type + " input has unknown field '" + field + "'; known fields: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return input;
    }

    /** An integer field within [min, max], or {@code fallback} when absent or null. */
    public static Integer intField(String type, JsonNode input, String field, Integer fallback, int min, int max) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new InvalidJobInputException(type + " input '" + field + "' must be an integer from " + min + " to " + max);
        }
        return value.intValue();
    }
}
