package io.jobline.api.status;

import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.support.Json;
import io.jobline.schemas.event.JobEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** An event as JSON: its envelope, its type (the payload record's name) and the payload's fields as data. */
final class EventJson {

    /** Payload fields that carry JSON text; shown as JSON rather than as a string, with sealed secrets masked. */
    private static final Set<String> JSON_TEXT_FIELDS = Set.of("input", "result_json", "checkpoint");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventJson() {
    }

    static ObjectNode of(JobEvent event) {
        GenericRecord payload = (GenericRecord) event.getPayload();
        ObjectNode node = NODES.objectNode()
                .put("event_id", event.getEventId())
                .put("job_id", event.getJobId())
                .put("type", payload.getSchema().getName())
                .put("sequence", event.getSequence())
                .put("attempt", event.getAttempt())
                .put("timestamp", event.getTimestamp().toString());
        node.set("data", record(payload));
        return node;
    }

    private static ObjectNode record(GenericRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            node.set(field.name(), JSON_TEXT_FIELDS.contains(field.name()) && value != null
                    ? SecretInputs.mask(Json.parse(value.toString())) : value(value));
        }
        return node;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof GenericRecord record) {
            return record(record);
        } else if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(value(item)));
            return array;
        } else if (value instanceof Integer i) {
            return NODES.numberNode(i);
        } else if (value instanceof Long l) {
            return NODES.numberNode(l);
        } else if (value instanceof Double d) {
            return NODES.numberNode(d);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.stringNode(value.toString());
    }
}
