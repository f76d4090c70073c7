package io.jobline.core.jobtype;

import java.util.List;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/** The JSON Schema (draft 2020-12) a job type's input must match; submit validates against it. */
public final class InputSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode document;
    private final Schema schema;

    private InputSchema(JsonNode document) {
        this.document = document;
        this.schema = REGISTRY.getSchema(Json.write(document));
    }

    public static InputSchema of(JsonNode document) {
        return new InputSchema(document);
    }

    public JsonNode document() {
        return document;
    }

    /** What is wrong with {@code input}, one message per violation naming where; empty when it matches. */
    public List<String> violations(JsonNode input) {
        return schema.validate(input).stream().map(e -> "input" + e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }
}
