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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "schema registry", description = "The read side of the Confluent Schema Registry API, for the schemas this service writes")
class SchemaRegistryController {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int INVALID_VERSION = 42202;

    private final SchemaHistory history;

    /** Documentation only: the Schema Registry's error body. */
    @Schema(name = "SchemaRegistryError")
    record RegistryError(@Schema(example = "40401") int errorCode, String message) {
    }

    /** Documentation only: a schema by id. */
    @Schema(name = "SchemaRegistrySchema")
    record SchemaText(@Schema(description = "The Avro schema, as JSON text") String schema) {
    }

    /** Documentation only: a subject's version. */
    @Schema(name = "SchemaRegistryVersion")
    record SubjectVersion(String subject, int version, int id, @Schema(description = "The Avro schema, as JSON text") String schema) {
    }

    SchemaRegistryController(SchemaRegistry registry) {
        this.history = registry instanceof EmbeddedSchemaRegistry embedded ? embedded.history() : null;
    }

    @GetMapping("/schemas/ids/{id}")
    @Operation(operationId = "registrySchemaById", summary = "A schema by its id")
    @ApiResponse(responseCode = "200", description = "The schema", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = SchemaText.class)))
    @ApiResponse(responseCode = "404", description = "No schema of that id (or an external registry is in use)", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))

    ResponseEntity<Object> schemaById(@PathVariable String id) {
        RegisteredSchema schema = parseInt(id) == null ? null : history().byId(parseInt(id)).orElse(null);
        if (schema == null) {
            return error(HttpStatus.NOT_FOUND, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return ResponseEntity.ok(Map.of("schema", schema.schema().toString()));
    }

    @GetMapping("/subjects")
    @Operation(operationId = "registrySubjects", summary = "Every subject")
    @ApiResponse(responseCode = "200", description = "The subjects", content = @Content(mediaType = MEDIA_TYPE,
            array = @ArraySchema(schema = @Schema(types = "string"))))
    @ApiResponse(responseCode = "404", description = "An external registry is in use", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))

    ResponseEntity<Object> subjects() {
        return ResponseEntity.ok(history().subjects());
    }

    @GetMapping("/subjects/{subject}/versions")
    @Operation(operationId = "registryVersions", summary = "A subject's versions")
    @ApiResponse(responseCode = "200", description = "The version numbers", content = @Content(mediaType = MEDIA_TYPE,
            array = @ArraySchema(schema = @Schema(types = "integer", format = "int32"))))
    @ApiResponse(responseCode = "404", description = "No such subject", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))

    ResponseEntity<Object> versions(@PathVariable String subject) {
        List<RegisteredSchema> versions = history().versions(subject);
        if (versions.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return ResponseEntity.ok(versions.stream().map(RegisteredSchema::version).toList());
    }

    @GetMapping("/subjects/{subject}/versions/{version}")
    @Operation(operationId = "registryVersion", summary = "A version of a subject")
    @ApiResponse(responseCode = "200", description = "The version", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = SubjectVersion.class)))
    @ApiResponse(responseCode = "404", description = "No such subject or version", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))
    @ApiResponse(responseCode = "422", description = "Not a version number nor latest", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))

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
    @Operation(operationId = "registryRawSchema", summary = "A version's schema itself")
    @ApiResponse(responseCode = "200", description = "The Avro schema", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(types = "object", description = "The Avro schema")))
    @ApiResponse(responseCode = "404", description = "No such subject or version", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))
    @ApiResponse(responseCode = "422", description = "Not a version number nor latest", content = @Content(mediaType = MEDIA_TYPE,
            schema = @Schema(implementation = RegistryError.class)))

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
