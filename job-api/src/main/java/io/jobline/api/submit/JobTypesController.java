package io.jobline.api.submit;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.policy.Policy;
import io.jobline.worker.JobType;
import tools.jackson.databind.JsonNode;

/** GET /api/job-types: what can be submitted, the JSON Schema of each type's input, and its default policy. */
@RestController
class JobTypesController {

    private final JobTypes types;

    JobTypesController(JobTypes types) {
        this.types = types;
    }

    record JobTypeResponse(String name, JsonNode inputSchema, java.util.Map<String, Object> defaultOptions) {
    }

    @GetMapping("/api/job-types")
    List<JobTypeResponse> list() {
        return types.names().stream().map(name -> {
            JobType type = types.find(name).orElseThrow();
            return new JobTypeResponse(name, types.inputSchema(type).document(),
                    SubmitOptions.describe(Policy.of(type.policy())));
        }).toList();
    }
}
