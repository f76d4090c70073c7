package io.jobline.processor.decider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.command.CommandSender;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.logging.JobLogContext;
import io.jobline.core.tracing.JobTracing;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.command.Tick;
import io.jobline.schemas.event.JobEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * Applies {@link JobDecider} to each command with the job's stored state and forwards the events it decides. A
 * job that becomes pending while a local worker has a free slot is started in the same step (the StartJob that
 * worker would have sent, decided at once). Running attempts that hit a timeout are failed through the same decide
 * step.
 *
 * <p>A timeout is judged against the time up to which this partition's commands have been read, never the wall
 * clock alone: while the decider works through a backlog, the heartbeat or completion that would have stopped the
 * clock may be waiting in the partition behind it. That time comes from {@link Tick}s. On a wall-clock punctuation,
 * when some running attempt would be past a timeout by the wall clock, the task appends a tick stamped with the wall
 * time to its own partition (one at a time; again after {@link #TICK_RESEND_AFTER} if it never comes back). It is
 * sent through the producer this process's workers report through, so it lands after every report they sent
 * before it, through a broker outage too. Once read back, the timeouts are judged with its timestamp as "now": a
 * worker that died with nothing else going on times out a tick's round trip after its deadline; one whose
 * heartbeats wait behind 100,000 commands does not. For the same reason an attempt's clocks start when its StartJob
 * is decided, not when it was sent.
 *
 * <p>A job that is pending and due, and that no local worker claimed in the step that made it pending, is offered
 * on job-offers, where a free worker of its type on any instance takes it (a StartJob with the offered attempt);
 * {@link PendingJobs} keeps the best few of each type on offer, so the hand-out follows priorities. A job whose
 * retry is not due yet waits for an offer once it is, on the punctuation. Offers are hints: the StartJob's expected
 * attempt is the fence, so a stale or duplicate offer is refused.
 *
 * <p>A type with a concurrency limit has all its jobs on one partition ({@link Placement}), this task's when the
 * type hashes here: it counts the type's running jobs and refuses a start past the limit. Such a job is not offered
 * while the type is at its limit; when one of its jobs stops running, the type's best pending job here is offered.
 *
 * <p>A job with a dedup key lives on the partition its type and key hash to, or on its limited type's
 * ({@link Placement}): this task keeps which pending or running job holds each key here, and refuses a SubmitJob
 * whose key another such job holds, recording a {@code SubmitRefused} that names the holder. Two racing submits on
 * two instances so make one job, whichever instance took them.
 */
final class DeciderProcessor implements Processor<String, JobCommand, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(DeciderProcessor.class);

    private final JobDecider decider;
    private final DecisionListener listener;
    private final CommandSender ticks;
    private final Duration timeoutCheckInterval;
    private static final int CACHED_STATES = 10_000;
    static final Duration TICK_RESEND_AFTER = Duration.ofSeconds(5);
    /** How far ahead of the wall clock a tick may be stamped: the clocks of two hosts under NTP differ by far less. */
    static final Duration TICK_AHEAD_TOLERANCE = Duration.ofSeconds(5);

    /** At most this many offers per punctuation, so a partition with a large backlog does not stall its task. */
    static final int OFFERS_PER_PUNCTUATION = 200;

    private final Set<String> running = new HashSet<>();
    /** The pending jobs of this partition and which are on offer, so the punctuation reads no store. */
    private final PendingJobs pending = new PendingJobs();
    /** The running jobs of each type with a concurrency limit, by type. */
    private final Map<String, Set<String>> limitedRunning = new HashMap<>();
    /** The concurrency limit of each limited type, as its running jobs were submitted with. */
    private final Map<String, Integer> limits = new HashMap<>();
    /** The pending or running job holding each dedup key on this partition: {@code <type>\n<key>} -> job id. */
    private final Map<String, String> dedupHolders = new HashMap<>();
    /** States as last written, so a job's next command does not read and parse its state again (this is the store's only writer). */
    private final Map<String, JobState> recentStates = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobState> eldest) {
            return size() > CACHED_STATES;
        }
    };
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, JobState> states;
    private int partition;
    private Instant takenOverAt;
    /** When the tick not read back yet was appended; null: none is on its way. */
    private Instant tickSentAt;

    DeciderProcessor(JobDecider decider, DecisionListener listener, CommandSender ticks, Duration timeoutCheckInterval) {
        this.decider = decider;
        this.listener = listener;
        this.ticks = ticks;
        this.timeoutCheckInterval = timeoutCheckInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.states = context.getStateStore(DeciderTopology.STATE_STORE);
        this.partition = context.taskId().partition();
        this.takenOverAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
        this.tickSentAt = null;
        running.clear();
        pending.clear();
        limitedRunning.clear();
        limits.clear();
        dedupHolders.clear();
        // Also on a task revived after an aborted transaction: the store went back to the last commit.
        recentStates.clear();
        List<JobState> active = new ArrayList<>();
        try (KeyValueIterator<String, JobState> all = states.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.isActive()) {
                    active.add(kv.value);
                    holdDedupKey(kv.value);
                }
                if (kv.value.status() == JobStatus.RUNNING) {
                    running.add(kv.key);
                    countRunning(kv.value);
                    rememberLimit(kv.value);
                } else if (kv.value.status() == JobStatus.PENDING) {
                    // Offered at the first punctuation: offers made before this task took the partition may be lost.
                    pending.restore(kv.value);
                    rememberLimit(kv.value);
                }
            });
        }
        context.schedule(timeoutCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::tickIfDue);
        listener.partitionAssigned(partition, active);
    }

    @Override
    public void process(Record<String, JobCommand> record) {
        JobCommand command = record.value();
        if (command != null && command.getPayload() instanceof Tick tick) {
            onTick(command.getTimestamp(), tick);
            return;
        }
        if (command == null || record.key() == null || !record.key().equals(command.getJobId())) {
            log.warn("Skipping a command whose key does not match its job id: key={}", record.key());
            return;
        }
        handle(grantedNow(command), stateOf(command.getJobId()), record.headers());
    }

    /**
     * A StartJob is decided as of now when it was sent earlier: its worker starts running when the start is
     * granted, so the attempt's clocks (job, stage and heartbeat timeouts) start then, not while the request waited
     * in the partition behind a backlog.
     */
    private JobCommand grantedNow(JobCommand command) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (command.getPayload() instanceof StartJob && now.isAfter(command.getTimestamp())) {
            return JobCommand.newBuilder(command).setTimestamp(now).build();
        }
        return command;
    }

    /** Appends a tick to this partition when a running attempt is past a timeout by the wall clock. */
    private void tickIfDue(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        offerDue(now);
        if (tickSentAt != null && now.isBefore(tickSentAt.plus(TICK_RESEND_AFTER))) {
            return;
        }
        boolean due = running.stream().anyMatch(jobId -> Timeouts.expired(stateOf(jobId), now, takenOverAt) != null && mayTimeOut(jobId));
        if (due) {
            tickSentAt = now;
            ticks.send(decider.tick(partition, now)).whenComplete((ok, error) -> {
                if (error != null) {
                    log.warn("Could not append a tick to partition {}: {}", partition, error.toString());
                }
            });
        }
    }

    /** Offers the pending jobs that became due (a retry's backoff passed) or whose last offer is old. */
    private void offerDue(Instant now) {
        for (JobState job : pending.dueOffers(now, this::room, listener::awaitsStart, this::stateOf, OFFERS_PER_PUNCTUATION)) {
            offer(job, now);
        }
    }

    /** Fills the type's window of offers. */
    private void offerNext(String type) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (JobState job : pending.toOffer(type, now, this::room, listener::awaitsStart, this::stateOf, OFFERS_PER_PUNCTUATION)) {
            offer(job, now);
        }
    }

    private void offer(JobState job, Instant now) {
        context.forward(new Record<String, SpecificRecord>(job.jobId(), Offers.of(job, now), now.toEpochMilli(),
                traced(job.traceParent())), DeciderTopology.OFFERS_SINK);
    }

    /** Headers with a traceparent when there is one (none when tracing is off). */
    private static Headers traced(String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        JobTracing.inject(traceparent, headers);
        return headers;
    }

    /**
     * Everything appended to the partition before the tick has been read: its timestamp is "now" for timeouts. A
     * tick is stamped by the wall clock of the decider that sent it, before it is read back; one stamped further
     * ahead of this decider's wall clock than {@link #TICK_AHEAD_TOLERANCE} is not to be trusted and is ignored.
     */
    private void onTick(Instant now, Tick tick) {
        if (tick.getPartition() != partition) {
            log.warn("Skipping a tick for partition {} read from partition {}", tick.getPartition(), partition);
            return;
        }
        Instant wallClock = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (now.isAfter(wallClock.plus(TICK_AHEAD_TOLERANCE))) {
            IgnoredTicks.ignored();
            log.warn("Ignoring a tick on partition {} stamped {}, ahead of this decider's clock ({})", partition, now, wallClock);
            return;
        }
        tickSentAt = null;
        for (String jobId : List.copyOf(running)) {
            JobCommand fail = mayTimeOut(jobId) ? decider.timeoutCommand(stateOf(jobId), now, takenOverAt) : null;
            if (fail != null) {
                try (JobLogContext ignored = JobLogContext.of(jobId)) {
                    log.info("Job {}: {}", jobId, ((FailJob) fail.getPayload()).getError());
                }
                handle(fail, stateOf(jobId));
            }
        }
    }

    /**
     * A running job waiting here to be taken over is not timed out: its worker is gone, which is not a failure of
     * the job (a crash of the whole service, or of the instance that held the partition), and its next attempt
     * starts with fresh clocks as soon as a local worker has a slot.
     */
    private boolean mayTimeOut(String jobId) {
        return !listener.awaitsTakeover(jobId);
    }

    private void handle(JobCommand command, JobState state) {
        handle(command, state, null);
    }

    /**
     * Decides one command, traced (when tracing is on) as a span of the trace its record came with, or else of the
     * job's own trace.
     */
    private void handle(JobCommand command, JobState state, Headers headers) {
        try (JobLogContext ignored = JobLogContext.of(command.getJobId())) {
            if (!JobTracing.enabled()) {
                decideAndApply(command, state);
                return;
            }
            Span span = JobTracing.start("decide " + command.getPayload().getClass().getSimpleName(), SpanKind.CONSUMER,
                    JobTracing.fromHeaders(headers, state.traceParent()));
            span.setAttribute("jobline.job_id", command.getJobId());
            try (Scope scope = span.makeCurrent()) {
                decideAndApply(command, state);
            } finally {
                span.end();
            }
        }
    }

    private void decideAndApply(JobCommand command, JobState state) {
        String duplicateOf = duplicateOf(state, command);
        if (duplicateOf != null) {
            JobEvent refused = decider.duplicateRefused(command, duplicateOf);
            context.forward(new Record<String, SpecificRecord>(refused.getJobId(), refused,
                    refused.getTimestamp().toEpochMilli(), traced(JobTracing.currentTraceparent())), DeciderTopology.EVENTS_SINK);
            log.debug("Refused job {}: a duplicate of {}", command.getJobId(), duplicateOf);
            listener.decided(partition, command, new Decision(state, List.of(), "a duplicate of job " + duplicateOf));
            return;
        }
        Decision decision = overLimit(state, command) ? new Decision(state, List.of(), "job type " + state.type()
                + " is at its concurrency limit of " + state.concurrencyLimit()) : decider.decide(state, command);
        if (!decision.isRejected() && command.getPayload() instanceof SubmitJob && JobTracing.enabled()) {
            // The job's later work (starts, stages, timeouts) is traced under the decision that accepted it.
            decision = new Decision(decision.state().withTraceParent(JobTracing.currentTraceparent()), decision.events(), null);
        }
        String claimedBy = isReadyToStart(decision) && !atLimit(decision.state())
                ? listener.claimSlot(partition, decision.state()) : null;
        if (decision.isRejected()) {
            if (command.getPayload() instanceof StartJob && state.status() == JobStatus.PENDING) {
                pending.offerSpent(state.jobId());
                offerNext(state.type());
            }
            log.debug("Rejected {} for job {}: {}", command.getPayload().getClass().getSimpleName(),
                    command.getJobId(), decision.rejection());
        } else {
            states.put(command.getJobId(), decision.state());
            recentStates.put(command.getJobId(), decision.state());
            holdDedupKey(decision.state());
            if (decision.state().status() == JobStatus.RUNNING) {
                running.add(command.getJobId());
                countRunning(decision.state());
            } else {
                running.remove(command.getJobId());
                uncountRunning(decision.state());
            }
            for (JobEvent event : decision.events()) {
                context.forward(new Record<String, SpecificRecord>(event.getJobId(), event, event.getTimestamp().toEpochMilli(),
                        traced(JobTracing.currentTraceparent())), DeciderTopology.EVENTS_SINK);
            }
            pending.update(decision.state(), claimedBy != null, Instant.ofEpochMilli(context.currentSystemTimeMs()));
            if (decision.state().type() != null) {
                rememberLimit(decision.state());
                offerNext(decision.state().type());
            }
        }
        listener.decided(partition, command, decision);
        if (claimedBy != null) {
            JobCommand start = decider.eagerStart(decision.state(), claimedBy, Instant.ofEpochMilli(context.currentSystemTimeMs()));
            handle(start, decision.state());
        }
    }

    /** The pending or running job that holds the dedup key of a new job's SubmitJob; null when none does. */
    private String duplicateOf(JobState state, JobCommand command) {
        if (state.exists() || !(command.getPayload() instanceof SubmitJob submit) || submit.getDedupKey() == null) {
            return null;
        }
        String holder = dedupHolders.get(dedupScope(submit.getType(), submit.getDedupKey()));
        return holder != null && !holder.equals(state.jobId()) && stateOf(holder).isActive() ? holder : null;
    }

    /** A job holds its dedup key while it is pending or running. */
    private void holdDedupKey(JobState state) {
        if (state.dedupKey() == null) {
            return;
        }
        String scope = dedupScope(state.type(), state.dedupKey());
        if (state.isActive()) {
            dedupHolders.put(scope, state.jobId());
        } else {
            dedupHolders.remove(scope, state.jobId());
        }
    }

    /** Where a job of {@code type} with {@code dedupKey} lives, and how its key is held: {@code <type>\n<key>}. */
    static String dedupScope(String type, String dedupKey) {
        return type + "\n" + dedupKey;
    }

    /** A start of a pending job of a limited type whose running jobs already reach the limit. */
    private boolean overLimit(JobState state, JobCommand command) {
        return command.getPayload() instanceof StartJob && state.status() == JobStatus.PENDING && atLimit(state);
    }

    private boolean atLimit(JobState state) {
        Integer limit = state.concurrencyLimit();
        return limit != null && limitedRunning.getOrDefault(state.type(), Set.of()).size() >= limit;
    }

    private void rememberLimit(JobState state) {
        if (state.concurrencyLimit() != null) {
            limits.put(state.type(), state.concurrencyLimit());
        }
    }

    /** How many more jobs of the type may start: its concurrency limit less its running jobs here, if it has one. */
    private int room(String type) {
        Integer limit = limits.get(type);
        return limit == null ? Integer.MAX_VALUE : Math.max(0, limit - limitedRunning.getOrDefault(type, Set.of()).size());
    }

    private void countRunning(JobState state) {
        if (state.concurrencyLimit() != null) {
            limitedRunning.computeIfAbsent(state.type(), t -> new HashSet<>()).add(state.jobId());
        }
    }

    private void uncountRunning(JobState state) {
        Set<String> jobs = state.concurrencyLimit() == null ? null : limitedRunning.get(state.type());
        if (jobs != null) {
            jobs.remove(state.jobId());
        }
    }

    /** A job that just became pending with nothing to wait for: a local worker may take it in this same step. */
    private static boolean isReadyToStart(Decision decision) {
        return !decision.isRejected() && !decision.events().isEmpty()
                && decision.state().status() == JobStatus.PENDING && decision.state().retryAt() == null;
    }

    private JobState stateOf(String jobId) {
        JobState state = recentStates.get(jobId);
        if (state == null) {
            state = states.get(jobId);
        }
        return state == null ? JobState.empty(jobId) : state;
    }

    @Override
    public void close() {
        recentStates.clear();
        listener.partitionClosed(partition);
    }
}
