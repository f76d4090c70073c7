package io.jobline.api.submit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.core.files.FileNames;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.policy.Policy;
import io.jobline.worker.JobType;
import io.jobline.worker.StoredFile;

/** Checks a request against its type: input schema, options, file names, the type's own plan. Throws 4xx problems. */
@Component
class JobPlanner {

    private final JobTypes types;

    JobPlanner(JobTypes types) {
        this.types = types;
    }

    JobPlan plan(SubmitRequest request) {
        JobType type = types.find(request.type()).orElseThrow(() -> ApiException.badRequest(
                "Unknown job type '" + request.type() + "'; known types: " + String.join(", ", types.names())));
        List<String> violations = types.inputSchema(type).violations(request.input());
        if (!violations.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid job input",
                    "The input does not match the JSON Schema of job type '" + type.name() + "': "
                            + String.join("; ", violations), Map.of("errors", violations));
        }
        Policy policy = SubmitOptions.policy(Policy.of(type.policy()), request.options());
        List<StoredFile> described = describe(request.uploads());
        List<String> stages = type.plan(request.input(), described);
        String hash = RequestHash.of(type.name(), request.input(), request.options(), described);
        return new JobPlan(type, policy, stages, type.dedupKey(request.input()), hash, described);
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
