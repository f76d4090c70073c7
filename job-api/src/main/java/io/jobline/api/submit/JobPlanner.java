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
import io.jobline.api.webhooks.Destinations;
import io.jobline.api.webhooks.WebhookEvents;
import io.jobline.schemas.common.Notify;
import tools.jackson.databind.JsonNode;
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
    private final Destinations destinations;

    JobPlanner(JobTypes types, DeclaredTypes declared, Destinations destinations) {
        this.types = types;
        this.declared = declared;
        this.destinations = destinations;
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
        Notify notify = notify(request.webhook());
        String hash = RequestHash.of(type.name(), request.input(), request.options(), request.webhook(), described);
        return new JobPlan(type.name(), type.version(), type.concurrencyLimit(), policy, type.stages(),
                type.dynamicStages(), type.dedupKeyOf(request.input()), hash, described, type.inputSchema().secretPaths(),
                notify);
    }

    private JobPlan planBuiltIn(JobType type, SubmitRequest request) {
        InputSchema schema = types.inputSchema(type);
        check(type.name(), schema, request.input());
        Policy policy = SubmitOptions.policy(Policy.of(type.policy()), request.options());
        List<StoredFile> described = describe(request.uploads());
        List<String> stages = type.plan(request.input(), described);
        Notify notify = notify(request.webhook());
        String hash = RequestHash.of(type.name(), request.input(), request.options(), request.webhook(), described);
        return new JobPlan(type.name(), null, null, policy, stages, false, type.dedupKey(request.input()), hash, described,
                schema.secretPaths(), notify);
    }

    /** {@code {"url": "https://...", "events": ["terminal", "stage", "progress"]}}; events default to terminal. */
    private Notify notify(JsonNode notify) {
        if (notify == null || notify.isNull()) {
            return null;
        }
        if (!notify.isObject()) {
            throw ApiException.badRequest("'notify' must be an object like {\"url\": \"https://example.com/hooks/jobs\", "
                    + "\"events\": [\"terminal\"]}");
        }
        for (String field : notify.propertyNames()) {
            if (!field.equals("url") && !field.equals("events")) {
                throw ApiException.badRequest("Unknown field 'notify." + field + "'; a webhook has 'url' and 'events'");
            }
        }
        JsonNode url = notify.get("url");
        JsonNode events = notify.get("events");
        if (url == null || !url.isString()) {
            throw ApiException.badRequest("'notify.url' is required and must be a string");
        }
        List<String> kinds = new ArrayList<>();
        if (events != null && !events.isNull()) {
            if (!events.isArray()) {
                throw ApiException.badRequest("'notify.events' must be an array of terminal, stage, progress");
            }
            for (JsonNode kind : events) {
                if (!kind.isString()) {
                    throw ApiException.badRequest("'notify.events' must be an array of terminal, stage, progress");
                }
                kinds.add(kind.asString());
            }
        }
        try {
            destinations.check(url.asString());
            return new Notify(url.asString(), WebhookEvents.kinds(kinds));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'notify': " + e.getMessage());
        }
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
