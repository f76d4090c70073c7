package io.jobline.processor.runner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.jobline.core.files.FileKeys;
import io.jobline.core.files.FileStore;
import io.jobline.core.support.Json;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * A stage's checkpoint as it travels in CompleteStage, StageCompleted and JobStarted: inline when small, otherwise
 * stored in the file store (under the job's own folder) and referenced as {@code {"$checkpoint_file": key,
 * "size": bytes}}. A Kafka record is 1 MB at most by default and a checkpoint is copied into several (the command,
 * the event, the decider's state, the job's view): past {@link #INLINE_LIMIT} it would sooner or later not fit.
 */
final class Checkpoints {

    static final int INLINE_LIMIT = 64 * 1024;
    static final String FILE_FIELD = "$checkpoint_file";
    private static final String FOLDER = "checkpoints";

    private Checkpoints() {
    }

    /** The checkpoint as it goes into CompleteStage: the JSON itself, or a reference to where it was stored. */
    static String write(String jobId, int attempt, int stage, JsonNode checkpoint, FileStore files) throws IOException {
        String json = Json.write(checkpoint);
        if (json.length() <= INLINE_LIMIT) {
            return json;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        StoredFile stored = files.save(jobId, FOLDER, "stage-" + stage + "-attempt-" + attempt + ".json",
                "application/json", new ByteArrayInputStream(bytes));
        return Json.write(Json.MAPPER.createObjectNode().put(FILE_FIELD, stored.key()).put("size", stored.size()));
    }

    /**
     * The checkpoint a stage is handed: read back from the file store when it was stored there. Only a file in the
     * job's own folder is read; any other reference is handed over as it is.
     */
    static JsonNode read(String jobId, String checkpoint, FileStore files) throws IOException {
        JsonNode node = Json.parse(checkpoint);
        if (node == null || !node.isObject() || node.size() != 2 || !node.has(FILE_FIELD) || !node.get(FILE_FIELD).isString()
                || !FileKeys.belongsTo(node.get(FILE_FIELD).asString(), jobId)) {
            return node;
        }
        StoredFile ref = new StoredFile("checkpoint.json", node.get(FILE_FIELD).asString(), node.path("size").asLong(), "application/json");
        try (InputStream in = files.open(ref)) {
            return Json.MAPPER.readTree(in);
        }
    }
}
