package io.jobline.processor.runner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.core.files.FileStore;
import io.jobline.core.logging.JobLogContext;
import io.jobline.core.tracing.JobTracing;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.core.support.Json;
import io.jobline.processor.decider.JobState;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.JobCommand;
import io.jobline.worker.JobCancelledException;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * One attempt of one job on this worker: runs the remaining stages in order, each reporting progress, and hands
 * each stage's checkpoint to the next. Stops at the next progress report or stage boundary once cancelled.
 */
final class JobExecution implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
    static final int RESULT_INLINE_LIMIT = 64 * 1024;
    private static final long MIN_REPORT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MIN_HEARTBEAT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int partition;
    private final JobState job;
    private final JobType type;
    private final SecretInputs secrets;
    private final FileStore files;
    private final CommandSender sender;
    private final JobCommands commands;
    private final String workerId;
    private final Runnable onFinished;
    private final List<StoredFile> artifacts = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile Thread thread;
    private volatile int currentStage;
    /** Set once a report could not be appended: the attempt then fails with that reason, once. */
    private final AtomicBoolean reportFailed = new AtomicBoolean();
    private volatile long lastSentNanos = System.nanoTime();

    JobExecution(int partition, JobState job, JobType type, FileStore files, CommandSender sender,
                 JobCommands commands, String workerId, Runnable onFinished) {
        this(partition, job, type, files, SecretInputs.NONE, sender, commands, workerId, onFinished);
    }

    /** @param secrets opens the input's sealed secrets for the job's code */
    JobExecution(int partition, JobState job, JobType type, FileStore files, SecretInputs secrets, CommandSender sender,
                 JobCommands commands, String workerId, Runnable onFinished) {
        this.partition = partition;
        this.secrets = secrets;
        this.job = job;
        this.type = type;
        this.files = files;
        this.sender = sender;
        this.commands = commands;
        this.workerId = workerId;
        this.onFinished = onFinished;
    }

    boolean partition(int p) {
        return partition == p;
    }

    int attempt() {
        return job.attempt();
    }

    /** Stops this attempt: the stage sees it at its next report, and a stage blocked in a wait is interrupted. */
    void cancel() {
        cancelled = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    /**
     * Gives the job back, unharmed, because this process is stopping: a ReleaseJob makes it pending again at once
     * (not a failed attempt), for any worker to resume from its last checkpoint; then the stage is stopped. What the
     * stage still reports belongs to an attempt that is no longer current, and is refused.
     */
    CompletableFuture<Void> release(String reason) {
        cancel(); // first: nothing the stage sends from now on may land after the release
        return sender.send(commands.release(job.jobId(), workerId, job.attempt(), reason));
    }

    @Override
    public void run() {
        try (JobLogContext ignored = JobLogContext.of(job.jobId(), job.attempt())) {
            if (!JobTracing.enabled()) {
                runAttempt();
                return;
            }
            Span span = JobTracing.start("run " + job.type(), SpanKind.CONSUMER, JobTracing.fromTraceparent(job.traceParent()));
            span.setAttribute("jobline.job_id", job.jobId());
            span.setAttribute("jobline.attempt", job.attempt());
            try (Scope scope = span.makeCurrent()) {
                runAttempt();
            } finally {
                span.end();
            }
        }
    }

    private void runAttempt() {
        thread = Thread.currentThread();
        int stage = job.completedStages();
        try {
            if (type == null) {
                send(commands.fail(job.jobId(), workerId, job.attempt(), "No job type '" + job.type() + "' on worker " + workerId, null));
                return;
            }
            JsonNode input;
            try {
                input = secrets.open(job.jobId(), Json.parse(job.input()));
            } catch (SecretKeys.SecretException e) {
                // No worker can run it with the keys this deployment has: not retried.
                send(commands.fail(job.jobId(), workerId, job.attempt(), e.getMessage(), null, false));
                return;
            }
            JsonNode checkpoint = Checkpoints.read(job.jobId(), job.checkpoint(), files);
            int total = job.stages().size();
            while (stage < total && !cancelled) {
                stage++;
                currentStage = stage;
                if (stage != job.stage()) {
                    // The attempt's first stage was started with the attempt (JobStarted, StageStarted).
                    send(commands.startStage(job.jobId(), workerId, job.attempt(), stage, job.stages().get(stage - 1)));
                }
                JsonNode output = runStage(new Context(input, stage, total, checkpoint));
                if (cancelled) {
                    return;
                }
                checkpoint = output == null ? Json.MAPPER.nullNode() : output;
                if (stage < total) {
                    // The last stage completes with the job (CompleteJob), its output being the result.
                    send(commands.completeStage(job.jobId(), workerId, job.attempt(), stage,
                            Checkpoints.write(job.jobId(), job.attempt(), stage, checkpoint, files)));
                }
            }
            if (!cancelled) {
                complete(checkpoint);
            }
        } catch (JobCancelledException e) {
            log.debug("Job {} stopped after cancellation", job.jobId());
        } catch (InterruptedException e) {
            if (!cancelled) {
                send(commands.fail(job.jobId(), workerId, job.attempt(), "Interrupted", stage == 0 ? null : stage, true));
            }
        } catch (Exception e) {
            if (!cancelled) {
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                boolean retryable = type.isRetryable(e);
                log.info("Job {} failed in stage {} ({}): {}", job.jobId(), stage, retryable ? "retryable" : "fatal", error);
                send(commands.fail(job.jobId(), workerId, job.attempt(), error, stage == 0 ? null : stage, retryable));
            }
        } catch (Error e) {
            // An Error (out of memory, a stack overflow, a linkage error) in stage code: the JVM is in doubt, not the
            // input. The stage's objects are unreachable once this frame unwinds, so the service lives on; the job
            // fails for good rather than run again into the same wall.
            if (!cancelled) {
                String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                log.warn("Job {} failed in stage {} with {} (fatal, not retried)", job.jobId(), stage, error);
                send(commands.fail(job.jobId(), workerId, job.attempt(), "The stage's code failed with " + error
                        + "; the job is not retried", stage == 0 ? null : stage, false));
            }
        } finally {
            thread = null;
            Thread.interrupted();
            onFinished.run();
        }
    }

    /** Runs one stage of the job type's code, traced as a span of the attempt's when tracing is on. */
    private JsonNode runStage(Context context) throws Exception {
        if (!JobTracing.enabled()) {
            return type.runStage(context);
        }
        Span span = JobTracing.start("stage " + job.stages().get(context.stage() - 1), SpanKind.INTERNAL,
                io.opentelemetry.context.Context.current());
        span.setAttribute("jobline.stage", context.stage());
        try (Scope scope = span.makeCurrent()) {
            return type.runStage(context);
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private void complete(JsonNode result) throws IOException {
        String json = Json.write(result);
        if (json.length() > RESULT_INLINE_LIMIT) {
            artifacts.add(files.save(job.jobId(), FileStore.ARTIFACTS, "result.json", "application/json",
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
            json = null;
        }
        send(commands.complete(job.jobId(), workerId, job.attempt(), json, artifacts));
    }

    private void send(JobCommand command) {
        lastSentNanos = System.nanoTime();
        CompletableFuture<Void> acked = sender.send(command);
        acked.whenComplete((ok, error) -> {
            if (error != null) {
                reportFailed(command, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        });
    }

    /**
     * A report Kafka refused (a record over its size limit, one it cannot serialize): without it the attempt could
     * only die by heartbeat timeout, with the wrong reason. Fails the attempt at once with the real one, and stops it.
     * The workers' producer retries a broker outage without end, so what fails here would fail again: not retried.
     */
    private void reportFailed(JobCommand command, Throwable error) {
        String what = command.getPayload().getClass().getSimpleName();
        try (JobLogContext ignored = JobLogContext.of(job.jobId(), job.attempt())) {
            log.warn("Job {}: {} not appended: {}", job.jobId(), what, error.toString());
        }
        if (command.getPayload() instanceof FailJob || !reportFailed.compareAndSet(false, true)) {
            return;
        }
        cancel();
        int stage = currentStage;
        sender.send(commands.fail(job.jobId(), workerId, job.attempt(), "Could not report " + what + " to Kafka: "
                + error.getClass().getSimpleName() + ": " + error.getMessage(), stage == 0 ? null : stage, false));
    }

    private final class Context implements StageContext {
        private final JsonNode input;
        private final int stage;
        private final int total;
        private final JsonNode checkpoint;
        private int lastProgress = -1;
        private long lastReportNanos;

        Context(JsonNode input, int stage, int total, JsonNode checkpoint) {
            this.input = input;
            this.stage = stage;
            this.total = total;
            this.checkpoint = checkpoint;
        }

        @Override
        public String jobId() {
            return job.jobId();
        }

        @Override
        public JsonNode input() {
            return input;
        }

        @Override
        public List<StoredFile> files() {
            return job.files();
        }

        @Override
        public int stage() {
            return stage;
        }

        @Override
        public int stagesTotal() {
            return total;
        }

        @Override
        public JsonNode checkpoint() {
            return checkpoint;
        }

        @Override
        public void progress(double fractionOfStage, String message) {
            if (cancelled) {
                throw new JobCancelledException(job.jobId());
            }
            double fraction = Math.max(0, Math.min(1, fractionOfStage));
            int overall = (int) Math.floor(((stage - 1) + fraction) * 100 / total);
            long now = System.nanoTime();
            if (overall != lastProgress || now - lastReportNanos >= MIN_REPORT_INTERVAL_NANOS) {
                lastProgress = overall;
                lastReportNanos = now;
                send(commands.progress(job.jobId(), workerId, job.attempt(), stage, overall, message));
            }
        }

        @Override
        public void heartbeat() {
            if (cancelled) {
                throw new JobCancelledException(job.jobId());
            }
            if (System.nanoTime() - lastSentNanos >= MIN_HEARTBEAT_INTERVAL_NANOS) {
                send(commands.heartbeat(job.jobId(), workerId, job.attempt(), stage));
            }
        }

        @Override
        public int attempt() {
            return job.attempt();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public InputStream openFile(StoredFile file) throws IOException {
            return files.open(file);
        }

        @Override
        public StoredFile writeArtifact(String name, String contentType, InputStream content) throws IOException {
            StoredFile stored = files.save(job.jobId(), FileStore.ARTIFACTS, name, contentType, content);
            artifacts.add(stored);
            return stored;
        }
    }
}
