package io.jobline.core.jobtype;

import java.util.ArrayList;
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
    private final List<String> secretPaths;

    private InputSchema(JsonNode document) {
        this.document = document;
        this.schema = REGISTRY.getSchema(Json.write(document));
        List<String> paths = new ArrayList<>();
        collectSecrets(document, "", paths);
        this.secretPaths = List.copyOf(paths);
    }

    public static InputSchema of(JsonNode document) {
        return new InputSchema(document);
    }

    public JsonNode document() {
        return document;
    }

    /**
     * Where the input's secrets are: JSON Pointers to the properties the schema marks {@code "writeOnly": true}, in
     * objects nested through {@code properties} (not inside arrays or behind {@code $ref}).
     */
    public List<String> secretPaths() {
        return secretPaths;
    }

    private static void collectSecrets(JsonNode schema, String path, List<String> paths) {
        JsonNode properties = schema.path("properties");
        if (!properties.isObject()) {
            return;
        }
        for (var property : properties.properties()) {
            String at = path + "/" + property.getKey().replace("~", "~0").replace("/", "~1");
            if (property.getValue().path("writeOnly").asBoolean(false)) {
                paths.add(at);
            } else {
                collectSecrets(property.getValue(), at, paths);
            }
        }
    }

    /**
     * What is wrong with {@code input}, one message per violation naming where; empty when it matches. A secret's
     * value never appears in a message (as {@code ***} where a message would quote it).
     */
    public List<String> violations(JsonNode input) {
        List<String> secrets = new ArrayList<>();
        for (String path : secretPaths) {
            JsonNode value = input.at(path);
            if (!value.isMissingNode() && !value.isNull()) {
                secrets.add(value.isString() ? value.asString() : Json.write(value));
            }
        }
        return schema.validate(input).stream().map(e -> {
            String message = "input" + e.getInstanceLocation() + ": " + e.getMessage();
            for (String secret : secrets) {
                if (!secret.isEmpty()) {
                    message = message.replace(secret, "***");
                }
            }
            return message;
        }).toList();
    }
}
