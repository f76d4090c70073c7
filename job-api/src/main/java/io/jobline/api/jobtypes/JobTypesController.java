package io.jobline.api.jobtypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.submit.SubmitOptions;
import io.jobline.worker.JobType;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.policy.Policy;
import tools.jackson.databind.JsonNode;

/**
 * /api/job-types: the types that can be submitted. Built-in (Java) types run in the service's own workers;
 * declared ones (PUT) are run by external workers over the worker protocol.
 */
@RestController
@RequestMapping("/api/job-types")
@Tag(name = "job types", description = "The types of job that can be submitted")
class JobTypesController {

    private final JobTypes builtIn;
    private final DeclaredTypes declared;

    JobTypesController(JobTypes builtIn, DeclaredTypes declared) {
        this.builtIn = builtIn;
        this.declared = declared;
    }

    /**
     * A job type as the API shows it; {@code stages} is null for a built-in type (it plans them from the input, once,
     * at submit). With {@code dynamicStages}, {@code stages} is the plan a job starts with.
     */
    @Schema(name = "JobType")
    record JobTypeResponse(String name,
                           @Schema(allowableValues = {"built-in", "declared"}) String kind,
                           @Schema(nullable = true, description = "A declared type's version, from 1") Integer version,
                           @Schema(nullable = true) String description,
                           @Schema(description = "The JSON Schema a job's input must match") JsonNode inputSchema,
                           @Schema(nullable = true, description = "A declared type's stages; null for a built-in one")
                           List<String> stages,
                           boolean dynamicStages,
                           @Schema(implementation = io.jobline.api.submit.SubmitDocs.Effective.class) Map<String, Object> defaultOptions,
                           @Schema(nullable = true, description = "A JSON Pointer into the input") String dedupKey,
                           @Schema(nullable = true) Integer concurrencyLimit,
                           @Schema(nullable = true) Instant declaredAt) {

        static JobTypeResponse of(JobType type) {
            return new JobTypeResponse(type.name(), "built-in", null, null, type.inputSchema(), null, false,
                    SubmitOptions.describe(Policy.of(type.policy())), null, null, null);
        }

        static JobTypeResponse of(DeclaredJobType type) {
            return new JobTypeResponse(type.name(), "declared", type.version(), type.description(),
                    type.inputSchemaDocument(), type.stages(), type.dynamicStages(), SubmitOptions.describe(type.policy()),
                    type.dedupKey(), type.concurrencyLimit(), type.declaredAt());
        }
    }

    /** Documentation only: the body of PUT /api/job-types/{name} ({@link DeclaredTypes.Declaration}). */
    @Schema(name = "JobTypeDeclaration")
    record DeclarationDoc(@Schema(nullable = true) String description,
                          @Schema(nullable = true, description = "A JSON Schema (object) for the input; absent: any object")
                          JsonNode inputSchema,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The stages, in order")
                          @io.swagger.v3.oas.annotations.media.ArraySchema(minItems = 1) List<String> stages,
                          @Schema(nullable = true, implementation = io.jobline.api.submit.SubmitDocs.Options.class,
                                  description = "Default submit options") JsonNode options,
                          @Schema(nullable = true, description = "A JSON Pointer into the input, like /video_id") String dedupKey,
                          @Schema(nullable = true, minimum = "1") Integer concurrencyLimit,
                          @Schema(nullable = true) Boolean dynamicStages) {
    }

    @GetMapping
    @Operation(operationId = "listJobTypes", summary = "The job types that can be submitted",
            description = "Built-in (Java) types first, then declared ones. Any key may read them.")
    @ApiResponse(responseCode = "200", description = "Every job type")
    List<JobTypeResponse> list() {
        List<JobTypeResponse> all = new ArrayList<>();
        builtIn.names().forEach(name -> all.add(JobTypeResponse.of(builtIn.find(name).orElseThrow())));
        declared.all().forEach(type -> all.add(JobTypeResponse.of(type)));
        return all;
    }

    @GetMapping("/{name}")
    @Operation(operationId = "getJobType", summary = "A job type")
    @ApiResponse(responseCode = "200", description = "The job type")
    @Problems({404})
    JobTypeResponse get(@PathVariable String name) {
        return builtIn.find(name).map(JobTypeResponse::of)
                .or(() -> declared.find(name).map(JobTypeResponse::of))
                .orElseThrow(() -> ApiException.notFound("Unknown job type", "No job type '" + name + "'"));
    }

    @PutMapping("/{name}")
    @Operation(operationId = "declareJobType", summary = "Declare or change a job type (admin)", description = "A type "
            + "run by external workers over the worker protocol. The same definition again changes nothing (200); a new one "
            + "is the next version.", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(schema = @Schema(implementation = DeclarationDoc.class))))
    @ApiResponse(responseCode = "201", description = "Declared: a new type")
    @ApiResponse(responseCode = "200", description = "The type as it now is (changed, or the same definition again)")
    @ApiResponse(responseCode = "409", description = "A built-in type's name, or changed concurrently")
    @Problems({400, 409, 413, 503})
    ResponseEntity<JobTypeResponse> declare(@Parameter(description = "1 to 64 lower-case letters, digits, '.', '_' or '-'",
            schema = @Schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")) @PathVariable String name,
                                            @RequestBody DeclaredTypes.Declaration body) {
        DeclaredTypes.Declared outcome = declared.declare(name, body);
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(JobTypeResponse.of(outcome.type()));
    }

    @DeleteMapping("/{name}")
    @Operation(operationId = "deleteJobType", summary = "Delete a declared job type (admin)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "A built-in type, or one with pending or running jobs")
    @Problems({404, 409, 503})
    ResponseEntity<Void> delete(@PathVariable String name) {
        declared.delete(name);
        return ResponseEntity.noContent().build();
    }
}
