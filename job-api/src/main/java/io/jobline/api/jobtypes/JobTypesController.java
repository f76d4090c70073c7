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

import io.jobline.api.problem.ApiException;
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
    record JobTypeResponse(String name, String kind, Integer version, String description, JsonNode inputSchema,
                           List<String> stages, boolean dynamicStages, Map<String, Object> defaultOptions,
                           String dedupKey, Integer concurrencyLimit, Instant declaredAt) {

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

    @GetMapping
    List<JobTypeResponse> list() {
        List<JobTypeResponse> all = new ArrayList<>();
        builtIn.names().forEach(name -> all.add(JobTypeResponse.of(builtIn.find(name).orElseThrow())));
        declared.all().forEach(type -> all.add(JobTypeResponse.of(type)));
        return all;
    }

    @GetMapping("/{name}")
    JobTypeResponse get(@PathVariable String name) {
        return builtIn.find(name).map(JobTypeResponse::of)
                .or(() -> declared.find(name).map(JobTypeResponse::of))
                .orElseThrow(() -> ApiException.notFound("Unknown job type", "No job type '" + name + "'"));
    }

    @PutMapping("/{name}")
    ResponseEntity<JobTypeResponse> declare(@PathVariable String name, @RequestBody DeclaredTypes.Declaration body) {
        DeclaredTypes.Declared outcome = declared.declare(name, body);
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(JobTypeResponse.of(outcome.type()));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        declared.delete(name);
        return ResponseEntity.noContent().build();
    }
}
