package io.jobline.core.secrets;

import java.util.List;

import io.jobline.core.support.Json;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job's input with its secret fields (those its type's JSON Schema marks {@code writeOnly}) sealed: what the
 * commands and events carry, so the log holds no secret in clear. Read APIs show a sealed value as {@value #MASK};
 * only the worker that runs the job gets it opened.
 */
public final class SecretInputs {

    public static final String MASK = "***";

    /** Without keys: an input without secrets passes, a sealed value does not open. */
    public static final SecretInputs NONE = new SecretInputs(SecretKeys.none());

    private final SecretKeys keys;

    public SecretInputs(SecretKeys keys) {
        this.keys = keys;
    }

    /** The input as JSON text, each value at one of {@code paths} (JSON Pointers) sealed for this job. */
    /** A secret for {@code purpose} derived from the sealing key: see {@link SecretKeys#derive}. */
    public byte[] derive(String purpose) {
        return keys.derive(purpose);
    }

    public String seal(String jobId, JsonNode input, List<String> paths) {
        if (paths.isEmpty()) {
            return Json.write(input);
        }
        JsonNode copy = input.deepCopy();
        for (String path : paths) {
            JsonPointer pointer = JsonPointer.compile(path);
            JsonNode value = copy.at(pointer);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            JsonNode parent = copy.at(pointer.head());
            if (parent instanceof ObjectNode object) {
                object.put(pointer.last().getMatchingProperty(), keys.seal(Json.write(value), context(jobId, path)));
            }
        }
        return Json.write(copy);
    }

    /** The input as the job's worker gets it: every sealed value opened. */
    public JsonNode open(String jobId, JsonNode input) {
        return walk(input, "", (value, path) -> Json.parse(keys.open(value, context(jobId, path))));
    }

    /** The input as the read APIs show it: every sealed value as {@value #MASK}. */
    public static JsonNode mask(JsonNode input) {
        return walk(input, "", (value, path) -> Json.MAPPER.getNodeFactory().textNode(MASK));
    }

    /** Whether the text holds a sealed value anywhere (a cheap test before parsing). */
    public static boolean mayHoldSealed(String json) {
        return json != null && json.contains(SecretKeys.PREFIX);
    }

    private static String context(String jobId, String path) {
        return jobId + "\n" + path;
    }

    private interface Replacement {
        JsonNode replace(String sealed, String path);
    }

    /** A copy of {@code node} with every sealed string replaced (the node itself when it holds none). */
    private static JsonNode walk(JsonNode node, String path, Replacement replacement) {
        if (node == null) {
            return null;
        }
        if (node.isString() && SecretKeys.isSealed(node.asString())) {
            return replacement.replace(node.asString(), path);
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            for (var entry : node.properties()) {
                JsonNode replaced = walk(entry.getValue(), path + "/" + escape(entry.getKey()), replacement);
                if (replaced != entry.getValue()) {
                    if (copy == null) {
                        copy = (ObjectNode) node.deepCopy();
                    }
                    copy.set(entry.getKey(), replaced);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
