package io.jobline.api.submit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.jobtypes.DeclaredJobType;
import io.jobline.api.jobtypes.DeclaredTypes;
import io.jobline.core.files.FileNames;
import io.jobline.core.jobtype.InputSchema;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.policy.Policy;
import io.jobline.worker.JobType;
import io.jobline.worker.StoredFile;

/** Checks a request against its type: input schema, options, file names, the type's own plan. Throws 4xx problems. */
@Component
class JobPlanner {

    private final JobTypes types;
    private final DeclaredTypes declared;

    JobPlanner(JobTypes types, DeclaredTypes declared) {
        this.types = types;
        this.declared = declared;
    }

    JobPlan plan(SubmitRequest request) {
        Optional<JobType> builtIn = types.find(request.type());
        if (builtIn.isPresent()) {
            return planBuiltIn(builtIn.get(), request);
        }
        DeclaredJobType type = declared.find(request.type()).orElseThrow(() -> unknown(request.type()));
        check(type.name(), type.inputSchema(), request.input());
        Policy policy = SubmitOptions.policy(type.policy(), request.options());
        List<StoredFile> described = describe(request.uploads());
        String hash = RequestHash.of(type.name(), request.input(), request.options(), described);
        return new JobPlan(type.name(), type.version(), type.concurrencyLimit(), policy, type.stages(),
                type.dynamicStages(), type.dedupKeyOf(request.input()), hash, described, type.inputSchema().secretPaths());
    }

    private JobPlan planBuiltIn(JobType type, SubmitRequest request) {
        InputSchema schema = types.inputSchema(type);
        check(type.name(), schema, request.input());
        Policy policy = SubmitOptions.policy(Policy.of(type.policy()), request.options());
        List<StoredFile> described = describe(request.uploads());
        List<String> stages = type.plan(request.input(), described);
        String hash = RequestHash.of(type.name(), request.input(), request.options(), described);
        return new JobPlan(type.name(), null, null, policy, stages, false, type.dedupKey(request.input()), hash, described,
                schema.secretPaths());
    }

    private ApiException unknown(String name) {
        if (!declared.isCaughtUp()) {
            return ApiException.catchingUp("the job type catalog");
        }
        List<String> known = new java.util.ArrayList<>(types.names());
        declared.all().forEach(t -> known.add(t.name()));
        return ApiException.badRequest("Unknown job type '" + name + "'; known types: " + String.join(", ", known));
    }

    private static void check(String type, InputSchema schema, tools.jackson.databind.JsonNode input) {
        List<String> violations = schema.violations(input);
        if (!violations.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid job input",
                    "The input does not match the JSON Schema of job type '" + type + "': "
                            + String.join("; ", violations), Map.of("errors", violations));
        }
    }

    private static List<StoredFile> describe(List<Upload> uploads) {
        Set<String> names = new HashSet<>();
        List<StoredFile> described = new ArrayList<>();
        for (Upload upload : uploads) {
            String name;
            try {
                name = FileNames.safe(upload.name());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (!names.add(name)) {
                throw ApiException.badRequest("Two uploaded files are named '" + name + "'");
            }
            described.add(new StoredFile(name, null, upload.size(), upload.contentType()));
        }
        return described;
    }
}
