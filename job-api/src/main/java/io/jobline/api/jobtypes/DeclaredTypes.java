package io.jobline.api.jobtypes;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.submit.SubmitOptions;
import io.jobline.core.jobtype.InputSchema;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.jobtype.StagePlans;
import io.jobline.core.policy.Policy;
import io.jobline.core.support.Json;
import io.jobline.core.system.KafkaSettings;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.TypeStats;
import io.jobline.schemas.jobtype.JobTypeDeclared;
import io.jobline.schemas.jobtype.JobTypeDeleted;
import io.jobline.schemas.jobtype.JobTypeEvent;
import io.jobline.schemas.topic.JobTopics;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Declares, changes and deletes job types at runtime: checks a declaration, appends it to job-types with the next
 * version, and answers once this instance's catalog has folded it (or says another writer got there first).
 */
@Component
public class DeclaredTypes implements AutoCloseable {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_CONCURRENCY_LIMIT = 10_000;
    /** A declared type's default policy when its options say nothing: one attempt, 60 s heartbeat timeout. */
    static final Policy DEFAULT_POLICY = Policy.SINGLE_ATTEMPT.withTimeouts(null, null, 60_000L);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

    private final JobTypeCatalog catalog;
    private final JobTypes builtIn;
    private final JobQueries queries;
    private final Clock clock = Clock.systemUTC();

    public DeclaredTypes(KafkaSettings kafka, JobTopics topics, JobTypes builtIn, JobQueries queries) {
        this.catalog = new JobTypeCatalog(kafka.clientConfig(), topics.jobTypes());
        this.builtIn = builtIn;
        this.queries = queries;
    }

    /**
     * A PUT's body.
     *
     * @param dynamicStages whether the type's workers declare its stages as they go; {@code stages} is then the plan a
     *                      job starts with. Null: false
     */
    public record Declaration(String description, JsonNode inputSchema, List<String> stages, JsonNode options,
                              String dedupKey, Integer concurrencyLimit, Boolean dynamicStages) {
    }

    /** The outcome of a declaration: the type as it now is, and whether this call created it. */
    public record Declared(DeclaredJobType type, boolean created) {
    }

    public Optional<DeclaredJobType> find(String name) {
        return catalog.find(name);
    }

    public Collection<DeclaredJobType> all() {
        return catalog.all();
    }

    public boolean isCaughtUp() {
        return catalog.isCaughtUp();
    }

    public Declared declare(String name, Declaration declaration) {
        checkName(name);
        requireCaughtUp();
        JobTypeDeclared payload = payload(declaration);
        Optional<DeclaredJobType> current = catalog.find(name);
        DeclaredJobType proposed = DeclaredJobType.of(event(name, 0, payload), payload);
        if (current.isPresent() && current.get().sameDefinitionAs(proposed)) {
            return new Declared(current.get(), false);
        }
        int version = catalog.nextVersion(name);
        append(event(name, version, payload));
        return new Declared(catalog.find(name).orElseThrow(), current.isEmpty());
    }

    public void delete(String name) {
        requireCaughtUp();
        if (builtIn.find(name).isPresent()) {
            throw conflict("Built-in job type", "'" + name + "' is a built-in (Java) job type; it cannot be deleted");
        }
        if (catalog.find(name).isEmpty()) {
            throw ApiException.notFound("Unknown job type", "No declared job type '" + name + "'");
        }
        long active = queries.stats().stream().filter(s -> s.type().equals(name)).mapToLong(DeclaredTypes::active).sum();
        if (active > 0) {
            throw conflict("Job type in use", "Job type '" + name + "' has " + active + " pending or running job(s); "
                    + "cancel them or let them finish, then delete it");
        }
        append(event(name, catalog.nextVersion(name), new JobTypeDeleted()));
    }

    private static long active(TypeStats stats) {
        return stats.counts().getOrDefault("pending", 0L) + stats.counts().getOrDefault("running", 0L);
    }

    private JobTypeDeclared payload(Declaration declaration) {
        if (declaration == null) {
            throw ApiException.badRequest("The body must be a JSON object with at least 'stages'");
        }
        List<String> stages = declaration.stages();
        if (stages == null || stages.isEmpty() || stages.size() > StagePlans.MAX_STAGES) {
            throw ApiException.badRequest("'stages' must name 1 to " + StagePlans.MAX_STAGES + " stages, in order");
        }
        String invalid = StagePlans.invalidNames(stages);
        if (invalid != null) {
            throw ApiException.badRequest(invalid);
        }
        JsonNode schema = declaration.inputSchema() == null || declaration.inputSchema().isNull()
                ? Json.parse("{\"type\": \"object\"}") : declaration.inputSchema();
        if (!schema.isObject()) {
            throw ApiException.badRequest("'input_schema' must be a JSON Schema object");
        }
        try {
            InputSchema.of(schema).violations(Json.parse("{}"));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("'input_schema' is not a valid JSON Schema: " + e.getMessage());
        }
        Policy policy = SubmitOptions.policy(DEFAULT_POLICY, declaration.options());
        String dedupKey = declaration.dedupKey();
        if (dedupKey != null) {
            try {
                if (dedupKey.isEmpty() || !dedupKey.startsWith("/")) {
                    throw new IllegalArgumentException("it must start with '/'");
                }
                JsonPointer.compile(dedupKey);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'dedup_key' must be a JSON Pointer into the input, like \"/video_id\": " + e.getMessage());
            }
            for (String secret : InputSchema.of(schema).secretPaths()) {
                if (dedupKey.equals(secret) || dedupKey.startsWith(secret + "/")) {
                    // The dedup value is kept in clear in the log, so it cannot be a secret.
                    throw ApiException.badRequest("'dedup_key' " + dedupKey + " points into a secret (writeOnly) property");
                }
            }
        }
        Integer limit = declaration.concurrencyLimit();
        if (limit != null && (limit < 1 || limit > MAX_CONCURRENCY_LIMIT)) {
            throw ApiException.badRequest("'concurrency_limit' must be from 1 to " + MAX_CONCURRENCY_LIMIT);
        }
        return new JobTypeDeclared(declaration.description(), Json.write(schema), List.copyOf(stages), policy.toAvro(),
                dedupKey, limit, Boolean.TRUE.equals(declaration.dynamicStages()));
    }

    private void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("A job type name is 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        if (builtIn.find(name).isPresent()) {
            throw conflict("Built-in job type", "'" + name + "' is a built-in (Java) job type; declare yours under another name");
        }
    }

    private void requireCaughtUp() {
        if (!catalog.isCaughtUp()) {
            throw ApiException.catchingUp("the job type catalog");
        }
    }

    private JobTypeEvent event(String name, int version, Object payload) {
        return JobTypeEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setName(name).setVersion(version)
                .setTimestamp(clock.instant()).setPayload(payload).build();
    }

    private void append(JobTypeEvent event) {
        catalog.append(event);
        try {
            if (!catalog.awaitApplied(event.getName(), event.getVersion(), event.getEventId(), APPLY_TIMEOUT)) {
                throw conflict("Job type changed concurrently", "Job type '" + event.getName() + "' was changed by "
                        + "another request at the same time; read it and try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while storing the job type");
        }
    }

    private static ApiException conflict(String title, String detail) {
        return new ApiException(HttpStatus.CONFLICT, title, detail, Map.of());
    }

    @Override
    public void close() throws InterruptedException {
        catalog.close();
    }
}
