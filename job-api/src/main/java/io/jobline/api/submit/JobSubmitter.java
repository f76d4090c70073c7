package io.jobline.api.submit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import io.jobline.api.command.CommandAppender;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.status.RecentSubmissions;
import io.jobline.processor.command.JobCommands;
import io.jobline.processor.files.FileNames;
import io.jobline.processor.files.FileStore;
import io.jobline.processor.files.StoredFile;
import io.jobline.processor.jobtype.JobType;
import io.jobline.processor.jobtype.JobTypes;
import io.jobline.processor.policy.Policy;
import io.jobline.processor.support.Json;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import tools.jackson.databind.JsonNode;

/**
 * Accepts a job: checks its type, its input against the type's JSON Schema and its options, answers a replayed
 * Idempotency-Key with the job it made, refuses a duplicate run, stores the files, appends SubmitJob and waits only
 * for the broker's acknowledgement, never for the work. Nothing is appended for a rejected request.
 */
@Service
class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private final JobTypes types;
    private final FileStore files;
    private final CommandAppender appender;
    private final JobCommands commands;
    private final RecentSubmissions recent;
    private final JobLookup lookup;
    private final JobQueries queries;
    private final Clock clock = Clock.systemUTC();
    private final StripedLocks idempotencyLocks = new StripedLocks();
    private final StripedLocks dedupLocks = new StripedLocks();
    /** Dedup keys of jobs accepted here that the projection may not show yet: key -> job id. */
    private final Map<String, String> recentDedupKeys = new ConcurrentHashMap<>();

    JobSubmitter(JobTypes types, FileStore files, CommandAppender appender, JobCommands commands,
                 RecentSubmissions recent, JobLookup lookup, JobQueries queries) {
        this.types = types;
        this.files = files;
        this.appender = appender;
        this.commands = commands;
        this.recent = recent;
        this.lookup = lookup;
        this.queries = queries;
    }

    /** What a client asked for; {@code options} and {@code idempotencyKey} may be null. */
    record Request(String type, JsonNode input, JsonNode options, List<Upload> uploads, String owner, String idempotencyKey) {
    }

    /** The job, and whether this request created it (false: an Idempotency-Key replay). */
    record Outcome(SubmittedJob job, boolean created) {
    }

    Outcome submit(Request request) {
        Plan plan = plan(request);
        String key = request.idempotencyKey();
        if (key == null) {
            return new Outcome(create(UUID.randomUUID().toString(), request, plan), true);
        }
        IdempotencyKeys.validate(key);
        return idempotencyLocks.serialized(request.owner() + "\n" + key, () -> {
            Instant now = clock.instant();
            long today = IdempotencyKeys.day(now);
            for (long day : new long[] {today, today - 1}) {
                Optional<JobView> earlier = lookup.find(IdempotencyKeys.jobId(request.owner(), key, day))
                        .filter(job -> key.equals(job.idempotencyKey()))
                        .filter(job -> job.createdAt().isAfter(now.minus(IdempotencyKeys.WINDOW)));
                if (earlier.isPresent()) {
                    return new Outcome(replay(earlier.get(), plan.hash(), key), false);
                }
            }
            return new Outcome(create(IdempotencyKeys.jobId(request.owner(), key, today), request, plan), true);
        });
    }

    private record Plan(JobType type, Policy policy, List<String> stages, String dedupKey, String hash) {
    }

    /** Checks a request against its type: input schema, options, the type's own plan. Throws 4xx problems. */
    private Plan plan(Request request) {
        JobType type = types.find(request.type()).orElseThrow(() -> ApiException.badRequest(
                "Unknown job type '" + request.type() + "'; known types: " + String.join(", ", types.names())));
        List<String> violations = type.inputSchema().violations(request.input());
        if (!violations.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid job input",
                    "The input does not match the JSON Schema of job type '" + type.name() + "': "
                            + String.join("; ", violations), Map.of("errors", violations));
        }
        Policy policy = SubmitOptions.policy(type.policy(), request.options());
        List<StoredFile> described = describe(request.uploads());
        List<String> stages = type.plan(request.input(), described);
        String hash = requestHash(type.name(), request.input(), request.options(), described);
        return new Plan(type, policy, stages, type.dedupKey(request.input()), hash);
    }

    /**
     * Accepts many JSON jobs at once: all are checked first (a bad one rejects the batch, naming its index), then
     * appended together and acknowledged within one timeout. No files, Idempotency-Key or dedup keys here.
     */
    List<SubmittedJob> submitBatch(List<Request> requests) {
        List<JobCommand> batch = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Plan plan;
            try {
                plan = plan(request);
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.title(), "jobs[" + i + "]: " + e.getMessage(), e.properties());
            } catch (io.jobline.processor.jobtype.InvalidJobInputException e) {
                throw ApiException.badRequest("jobs[" + i + "]: " + e.getMessage());
            }
            if (plan.dedupKey() != null) {
                throw ApiException.badRequest("jobs[" + i + "]: a job with a dedup key must be submitted on its own");
            }
            batch.add(commands.submit(UUID.randomUUID().toString(), request.owner(), plan.type().name(),
                    Json.write(request.input()), List.of(), plan.stages(),
                    new JobCommands.SubmitOptions(plan.policy(), null, plan.hash(), null)));
        }
        appender.appendAll(batch);
        List<SubmittedJob> accepted = new ArrayList<>(batch.size());
        for (JobCommand command : batch) {
            recent.remember(JobViewFold.apply(null, asSubmittedEvent(command)));
            accepted.add(new SubmittedJob(command.getJobId(), "pending", "Job accepted. Follow it at /api/jobs/" + command.getJobId()));
        }
        return accepted;
    }

    private static SubmittedJob replay(JobView job, String hash, String key) {
        if (!hash.equals(job.requestHash())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                    "Idempotency-Key '" + key + "' was used for a different request in the last 24 hours (job "
                            + job.jobId() + "); send a new key for a new job", Map.of("job_id", job.jobId()));
        }
        return new SubmittedJob(job.jobId(), job.status().wireName(),
                "Already submitted with this Idempotency-Key. Follow it at /api/jobs/" + job.jobId());
    }

    private SubmittedJob create(String jobId, Request request, Plan plan) {
        if (plan.dedupKey() == null) {
            return append(jobId, request, plan);
        }
        String scoped = plan.type().name() + "\n" + plan.dedupKey();
        return dedupLocks.serialized(scoped, () -> {
            Optional<String> holder = queries.activeJobWithDedupKey(plan.type().name(), plan.dedupKey())
                    .or(() -> Optional.ofNullable(recentDedupKeys.get(scoped)))
                    .filter(id -> lookup.find(id).map(job -> job.status().isActive()).orElse(false));
            if (holder.isPresent()) {
                throw ApiException.jobConflict("Duplicate job", "A " + plan.type().name() + " job with dedup key '"
                        + plan.dedupKey() + "' is already pending or running: " + holder.get(), holder.get(),
                        lookup.find(holder.get()).map(job -> job.status().wireName()).orElse("pending"), null);
            }
            recentDedupKeys.remove(scoped);
            SubmittedJob job = append(jobId, request, plan);
            recentDedupKeys.put(scoped, jobId);
            return job;
        });
    }

    private SubmittedJob append(String jobId, Request request, Plan plan) {
        List<StoredFile> stored = store(jobId, request.uploads());
        JobCommand command = commands.submit(jobId, request.owner(), plan.type().name(), Json.write(request.input()),
                stored, plan.stages(), new JobCommands.SubmitOptions(plan.policy(), request.idempotencyKey(),
                        plan.hash(), plan.dedupKey()));
        try {
            appender.append(command);
        } catch (ApiException e) {
            deleteFiles(jobId);
            throw e;
        }
        recent.remember(JobViewFold.apply(null, asSubmittedEvent(command)));
        return new SubmittedJob(jobId, "pending", "Job accepted. Follow it at /api/jobs/" + jobId);
    }

    /** SHA-256 of what makes two submits the same request: type, input, options and the files' names and sizes. */
    static String requestHash(String type, JsonNode input, JsonNode options, List<StoredFile> files) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("type", type);
        canonical.put("input", canonical(input));
        canonical.put("options", canonical(options));
        canonical.put("files", files.stream().map(f -> f.name() + ":" + f.size() + ":" + f.contentType()).toList());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.MAPPER.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON with object keys sorted at every level, so key order does not change the hash. */
    private static Object canonical(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.propertyNames().forEach(name -> sorted.put(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(canonical(item)));
            return items;
        }
        return node;
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

    private List<StoredFile> store(String jobId, List<Upload> uploads) {
        List<StoredFile> stored = new ArrayList<>();
        try {
            for (Upload upload : uploads) {
                try (InputStream in = upload.open()) {
                    stored.add(files.save(jobId, FileStore.INPUTS, upload.name(), upload.contentType(), in));
                }
            }
            return stored;
        } catch (IOException e) {
            deleteFiles(jobId);
            throw ApiException.unavailable("Could not store the uploaded files: " + e.getMessage());
        }
    }

    private void deleteFiles(String jobId) {
        try {
            files.deleteJob(jobId);
        } catch (IOException e) {
            log.warn("Could not remove files of rejected job {}: {}", jobId, e.toString());
        }
    }

    /** The event the decider will append for this command, to show the job before the projection has it. */
    private static JobEvent asSubmittedEvent(JobCommand command) {
        SubmitJob submit = (SubmitJob) command.getPayload();
        return JobEvent.newBuilder()
                .setEventId(command.getCommandId())
                .setJobId(command.getJobId())
                .setTimestamp(command.getTimestamp())
                .setAttempt(0)
                .setSequence(1)
                .setPayload(new JobSubmitted(submit.getType(), submit.getOwner(), submit.getInput(), submit.getFiles(),
                        submit.getStages(), submit.getPolicy(), submit.getIdempotencyKey(), submit.getRequestHash(),
                        submit.getDedupKey()))
                .build();
    }
}
