package io.jobline.api.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.schemas.registry.EmbeddedSchemaRegistry;
import io.jobline.schemas.registry.RegisteredSchema;
import io.jobline.schemas.registry.SchemaHistory;
import io.jobline.schemas.registry.SchemaRegistry;

/**
 * The read side of the Confluent Schema Registry REST API for the schemas this service writes, at base URL
 * {@code /schema-registry}: point a stock Confluent Avro deserializer's {@code schema.registry.url} here. Served
 * only when no external registry is configured (then that registry is the one to ask).
 */
@RestController
@RequestMapping(value = "/schema-registry", produces = SchemaRegistryController.MEDIA_TYPE)
class SchemaRegistryController {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int INVALID_VERSION = 42202;

    private final SchemaHistory history;

    SchemaRegistryController(SchemaRegistry registry) {
        this.history = registry instanceof EmbeddedSchemaRegistry embedded ? embedded.history() : null;
    }

    @GetMapping("/schemas/ids/{id}")
    ResponseEntity<Object> schemaById(@PathVariable String id) {
        RegisteredSchema schema = parseInt(id) == null ? null : history().byId(parseInt(id)).orElse(null);
        if (schema == null) {
            return error(HttpStatus.NOT_FOUND, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return ResponseEntity.ok(Map.of("schema", schema.schema().toString()));
    }

    @GetMapping("/subjects")
    ResponseEntity<Object> subjects() {
        return ResponseEntity.ok(history().subjects());
    }

    @GetMapping("/subjects/{subject}/versions")
    ResponseEntity<Object> versions(@PathVariable String subject) {
        List<RegisteredSchema> versions = history().versions(subject);
        if (versions.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return ResponseEntity.ok(versions.stream().map(RegisteredSchema::version).toList());
    }

    @GetMapping("/subjects/{subject}/versions/{version}")
    ResponseEntity<Object> version(@PathVariable String subject, @PathVariable String version) {
        return resolve(subject, version, schema -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("subject", schema.subject());
            body.put("version", schema.version());
            body.put("id", schema.id());
            body.put("schema", schema.schema().toString());
            return body;
        });
    }

    @GetMapping("/subjects/{subject}/versions/{version}/schema")
    ResponseEntity<Object> rawSchema(@PathVariable String subject, @PathVariable String version) {
        return resolve(subject, version, schema -> schema.schema().toString());
    }

    private ResponseEntity<Object> resolve(String subject, String version, java.util.function.Function<RegisteredSchema, Object> body) {
        if (history().versions(subject).isEmpty()) {
            return error(HttpStatus.NOT_FOUND, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        Integer number = "latest".equals(version) || "-1".equals(version)
                ? Integer.valueOf(history().latest(subject).orElseThrow().version()) : parseInt(version);
        if (number == null || number < 1) {
            return error(HttpStatus.UNPROCESSABLE_ENTITY, INVALID_VERSION, "The specified version '" + version
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return history().version(subject, number)
                .<ResponseEntity<Object>>map(schema -> ResponseEntity.ok(body.apply(schema)))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, VERSION_NOT_FOUND, "Version " + version + " not found."));
    }

    private SchemaHistory history() {
        if (history == null) {
            throw new RegistryNotServedException();
        }
        return history;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static ResponseEntity<Object> error(HttpStatus status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }

    /** An external registry is configured: this service serves no schemas itself. */
    static final class RegistryNotServedException extends RuntimeException {
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(RegistryNotServedException.class)
    ResponseEntity<Object> notServed() {
        return error(HttpStatus.NOT_FOUND, 40400, "This service uses an external Schema Registry; ask it instead");
    }
}
