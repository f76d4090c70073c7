package io.jobline.processor.runner;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.core.files.FileStore;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.logging.JobLogContext;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.processor.decider.Decision;
import io.jobline.processor.decider.DecisionListener;
import io.jobline.processor.decider.FairQueue;
import io.jobline.processor.decider.JobState;
import io.jobline.processor.dispatch.EventTail;
import io.jobline.processor.dispatch.OfferDispatcher;
import io.jobline.processor.dispatch.OfferedJob;
import io.jobline.processor.dispatch.Taker;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.event.JobStarted;

/**
 * Runs the jobs of the partitions this instance's decider owns, at most {@code concurrency} at a time. A waiting job
 * gets a slot, then asks the decider to start its next attempt (StartJob with the attempt it saw); only when the
 * decider grants it to this worker (JobStarted naming it) do the stages run. A job submitted while a slot is free
 * is claimed by the decider for this worker in the step that accepts it, without the StartJob round trip. A job
 * whose partition moves elsewhere is stopped here and restarted there as a new attempt; its stale reports are
 * rejected by the decider. A job whose attempt failed waits until its retry is due. An attempt the decider failed (a timeout) is abandoned at once: its
 * thread is interrupted and no longer holds a slot, and whatever it still reports is fenced by its attempt number.
 *
 * <p>A slot with no job of this instance's partitions waiting for it takes offered jobs of any partition, from any
 * instance (through the {@link OfferDispatcher}): no job waits while a slot of its type is free anywhere. Such a job
 * is followed through the {@link EventTail}, which stops it when it is cancelled or moves on. A running job under
 * another worker's name is left to that worker, which may be alive on another instance; if it is gone, the job's
 * heartbeat timeout ends the attempt. Only a job under this worker's own name that does not run here (this
 * process's previous life) is taken over at once.
 */
public final class JobRunner implements DecisionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Set once {@link #close()} begins: no slot is claimed and nothing is started any more. */
    private volatile boolean stopping;

    private final String workerId;
    private final int concurrency;
    private final JobTypes types;
    private final SecretInputs secrets;
    private final FileStore files;
    private final CommandSender sender;
    private final JobCommands commands;
    private final Clock clock;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private Instant nextWake;
    private final OfferDispatcher dispatcher;
    private final EventTail tail;
    /** Waits for an offered job while a slot is free and nothing of this instance's partitions is due; null otherwise. */
    private Taker taker;
    private final Map<String, AutoCloseable> followed = new HashMap<>();

    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private final Map<String, Waiting> requested = new HashMap<>();
    private final Map<String, JobExecution> running = new HashMap<>();

    private record Waiting(int partition, JobState state) {
    }

    /** When a job of each owner with jobs still waiting here was last given a slot (epoch millis). */
    private final Map<String, Long> lastServed = new HashMap<>();

    public JobRunner(String workerId, int concurrency, JobTypes types, FileStore files, CommandSender sender,
                     JobCommands commands, Clock clock) {
        this(workerId, concurrency, types, files, SecretInputs.NONE, sender, commands, clock, null, null);
    }

    /**
     * A runner that also takes offered jobs of other partitions through {@code dispatcher} (null: only its own), and
     * opens its jobs' secrets with {@code secrets}.
     */
    public JobRunner(String workerId, int concurrency, JobTypes types, FileStore files, SecretInputs secrets,
                     CommandSender sender, JobCommands commands, Clock clock, OfferDispatcher dispatcher, EventTail tail) {
        this.workerId = workerId;
        this.secrets = secrets;
        this.dispatcher = dispatcher;
        this.tail = tail;
        this.clock = clock;
        this.concurrency = concurrency;
        this.types = types;
        this.files = files;
        this.sender = sender;
        this.commands = commands;
        AtomicInteger threads = new AtomicInteger();
        // Not a fixed pool: an abandoned attempt may still hold its thread while its successor runs.
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "job-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-runner-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public String workerId() {
        return workerId;
    }

    @Override
    public synchronized void partitionAssigned(int partition, List<JobState> activeJobs) {
        for (JobState job : activeJobs) {
            boolean othersToRun = job.status() == JobStatus.RUNNING && !workerId.equals(job.workerId());
            if (!othersToRun && runsHere(job) && !running.containsKey(job.jobId()) && !requested.containsKey(job.jobId())) {
                waiting.put(job.jobId(), new Waiting(partition, job));
            }
        }
        log.info("Partition {} assigned with {} active job(s)", partition, activeJobs.size());
        fillSlots();
    }

    @Override
    public synchronized void decided(int partition, JobCommand command, Decision decision) {
        String jobId = command.getJobId();
        try {
            decide(partition, command, decision, jobId);
        } finally {
            // After the runner saw it: a start granted to a taker of this worker is not this worker's orphan.
            if (dispatcher != null) {
                dispatcher.outcomes().decided(command, decision);
            }
        }
    }

    private void decide(int partition, JobCommand command, Decision decision, String jobId) {
        if (decision.isRejected()) {
            if (command.getPayload() instanceof StartJob start && workerId.equals(start.getWorkerId())) {
                Waiting request = requested.remove(jobId);
                JobState state = decision.state();
                if (request != null && (state.retryAt() != null && state.retryAt().isAfter(command.getTimestamp())
                        || isOrphaned(state))) {
                    waiting.put(jobId, new Waiting(request.partition(), state)); // ask again, when due
                }
                fillSlots();
            }
            return;
        }
        JobState state = decision.state();
        if (state.status() == JobStatus.DELETED) {
            deleteFiles(jobId);
        }
        boolean startedHere = decision.events().stream()
                .anyMatch(e -> e.getPayload() instanceof JobStarted s && workerId.equals(s.getWorkerId()));
        Waiting granted = startedHere ? requested.remove(jobId) : null;
        if (granted != null && stopping) {
            // Granted after the stop began: handed back at once rather than started and interrupted.
            sender.send(commands.release(jobId, workerId, state.attempt(), "its worker's process is stopping"));
        } else if (granted != null) {
            JobExecution[] self = new JobExecution[1];
            self[0] = new JobExecution(granted.partition(), state, types.find(state.type()).orElse(null), files, secrets, sender,
                    commands, workerId, () -> finished(jobId, self[0]));
            JobExecution previous = running.put(jobId, self[0]);
            if (previous != null) {
                previous.cancel();
            }
            pool.execute(self[0]);
        } else if (state.status() == JobStatus.PENDING) {
            if (!requested.containsKey(jobId) && runsHere(state)) {
                // A failed attempt still running here (a timeout) is abandoned; one winding down after a cancel is fenced.
                abandon(jobId);
                waiting.put(jobId, new Waiting(partition, state));
            }
            // Otherwise this worker's start (sent, or claimed in the decider) is on its way.
        } else if (!state.isActive()) {
            stop(jobId);
        } else if (!workerId.equals(state.workerId())) {
            // Running under another worker's name: that worker runs it (here or on another instance); an attempt of
            // ours it replaced stops, fenced by its attempt number.
            abandon(jobId);
            waiting.remove(jobId);
        } else if (isOrphaned(state) && !requested.containsKey(jobId)) {
            // Granted to this worker's name by an earlier run of this process (its commands decided again after a
            // crash), but nothing runs it here: ask for a new attempt.
            waiting.put(jobId, new Waiting(partition, state));
        }
        fillSlots();
    }

    /** Whether this process has the code of the job's type: a declared type's jobs run in external workers. */
    private boolean runsHere(JobState job) {
        return types.find(job.type()).isPresent();
    }

    /**
     * Running under this worker's name but not here, and not just granted to one of this worker's takers: started
     * by this process's previous life.
     */
    private boolean isOrphaned(JobState state) {
        return state.status() == JobStatus.RUNNING && !running.containsKey(state.jobId())
                && workerId.equals(state.workerId())
                && (dispatcher == null || !dispatcher.outcomes().isAwaiting(state.jobId(), workerId));
    }

    @Override
    public synchronized boolean awaitsStart(String jobId) {
        return requested.containsKey(jobId);
    }

    /** Queued for a slot here, or its StartJob sent, and not running here: the decider asks this of running jobs. */
    @Override
    public synchronized boolean awaitsTakeover(String jobId) {
        return (waiting.containsKey(jobId) || requested.containsKey(jobId)) && !running.containsKey(jobId);
    }

    /** Takes a job that just became pending at once when a slot is free and no earlier job is due for one. */
    @Override
    public synchronized String claimSlot(int partition, JobState job) {
        if (stopping || !runsHere(job)) {
            return null;
        }
        Instant now = clock.instant();
        boolean earlierJobDue = waiting.values().stream()
                .anyMatch(w -> w.state().retryAt() == null || !w.state().retryAt().isAfter(now));
        if (running.size() + requested.size() + reserved() >= concurrency || earlierJobDue || requested.containsKey(job.jobId())) {
            return null;
        }
        if (running.size() + requested.size() + 1 >= concurrency && !stopTaking()) {
            return null; // the last free slot was just granted an offered job
        }
        abandon(job.jobId());
        requested.put(job.jobId(), new Waiting(partition, job));
        return workerId;
    }

    @Override
    public synchronized void partitionClosed(int partition) {
        waiting.values().removeIf(w -> w.partition() == partition);
        requested.values().removeIf(w -> w.partition() == partition);
        // A job runs on wherever its partition is decided: its reports reach the new owner through job-commands. It
        // goes on here, followed through the event tail for a cancel; without one, it stops, and is taken over.
        running.entrySet().stream().filter(e -> e.getValue().partition(partition)).toList().forEach(e -> {
            if (tail == null) {
                e.getValue().cancel();
            } else if (!followed.containsKey(e.getKey())) {
                follow(e.getKey(), e.getValue());
            }
        });
        log.info("Partition {} closed", partition);
    }

    /** How many jobs this worker runs at most at a time. */
    public int concurrency() {
        return concurrency;
    }

    /** Jobs running on this worker now. */
    public synchronized int runningCount() {
        return running.size();
    }

    /** The attempts running on this worker now: job id to attempt number. */
    public synchronized Map<String, Integer> runningAttempts() {
        Map<String, Integer> attempts = new HashMap<>();
        running.forEach((jobId, execution) -> attempts.put(jobId, execution.attempt()));
        return attempts;
    }

    /** The job types this worker has code for: the only ones it runs. */
    public java.util.Set<String> typeNames() {
        return types.names();
    }

    private void stop(String jobId) {
        waiting.remove(jobId);
        requested.remove(jobId);
        abandon(jobId);
    }

    private void abandon(String jobId) {
        JobExecution execution = running.remove(jobId);
        if (execution != null) {
            execution.cancel();
        }
    }

    /** A deleted job's uploads and artifacts go with it; off the Streams thread, as it touches the disk. */
    private void deleteFiles(String jobId) {
        CompletableFuture.runAsync(() -> {
            try {
                files.deleteJob(jobId);
            } catch (IOException e) {
                try (JobLogContext ignored = JobLogContext.of(jobId)) {
                    log.warn("Could not delete the files of deleted job {}: {}", jobId, e.toString());
                }
            }
        });
    }

    private synchronized void finished(String jobId, JobExecution execution) {
        running.remove(jobId, execution);
        AutoCloseable following = followed.remove(jobId);
        if (following != null) {
            try {
                following.close();
            } catch (Exception ignored) {
                // removing a watcher from a map does not fail
            }
        }
        fillSlots();
    }

    /** Waits for an offered job with the slots left free once this instance's own due jobs have theirs. */
    private void takeOffers() {
        if (dispatcher == null || dispatcher.isClosed() || taker != null || running.size() + requested.size() >= concurrency
                || types.names().isEmpty()) {
            // A closed dispatcher: the process is stopping while partitions are still being assigned.
            return;
        }
        Instant now = clock.instant();
        boolean ownJobDue = waiting.values().stream()
                .anyMatch(w -> w.state().retryAt() == null || !w.state().retryAt().isAfter(now));
        if (ownJobDue) {
            return;
        }
        Taker next = dispatcher.take(workerId, types.names());
        next.onReturned(this::wake);
        taker = next;
        next.job().whenComplete((job, error) -> {
            if (job != null) {
                startOffered(next, job);
            }
        });
    }

    /** Stops the execution when its job is cancelled or moves on to another attempt, as the event tail shows. */
    private void follow(String jobId, JobExecution execution) {
        int attempt = execution.attempt();
        followed.put(jobId, tail.watch(jobId, event -> {
            if (event.getAttempt() > attempt || !EventStatus.of(event.getPayload()).isActive()) {
                execution.cancel();
            }
        }));
    }

    /** 1 while an offered job's start is asked for this runner's taker: that slot is spoken for until the answer. */
    private int reserved() {
        return taker != null && taker.isClaimed() ? 1 : 0;
    }

    /** Stops waiting for an offered job; false when one was granted meanwhile (it runs, in the slot it waited for). */
    private boolean stopTaking() {
        Taker current = taker;
        if (current == null) {
            return true;
        }
        taker = null;
        return current.cancel();
    }

    private synchronized void startOffered(Taker granted, OfferedJob job) {
        if (taker == granted) {
            taker = null;
        }
        JobState state = job.runningState();
        String jobId = job.jobId();
        if (stopping) {
            sender.send(commands.release(jobId, workerId, state.attempt(), "its worker's process is stopping"));
            return;
        }
        JobExecution[] self = new JobExecution[1];
        self[0] = new JobExecution(-1, state, types.find(state.type()).orElse(null), files, secrets, sender, commands, workerId,
                () -> finished(jobId, self[0]));
        JobExecution previous = running.put(jobId, self[0]);
        if (previous != null) {
            previous.cancel();
        }
        waiting.remove(jobId);
        if (tail != null) {
            follow(jobId, self[0]);
        }
        pool.execute(self[0]);
        fillSlots();
    }

    /**
     * Gives free slots to waiting jobs: first the running jobs to take over (they were started before any job still
     * pending, and nothing runs them now), higher {@link JobState#effectivePriority} first; then the pending ones that
     * are due, owners in turn ({@link FairQueue}: each owner's by priority and age, one owner's backlog not holding
     * back another's jobs).
     */
    private void fillSlots() {
        if (stopping) {
            return; // nothing new starts here once the process is stopping: what it hands back goes elsewhere
        }
        Instant now = clock.instant();
        Instant earliestLater = null;
        var takeovers = waiting.entrySet().stream().filter(e -> e.getValue().state().status() == JobStatus.RUNNING)
                .sorted(java.util.Comparator.comparingLong(e -> -e.getValue().state().effectivePriority(now))).toList();
        for (var entry : takeovers) {
            if (!hasFreeSlot()) {
                break;
            }
            requestStart(entry.getValue().state());
        }
        FairQueue due = new FairQueue();
        for (Waiting waited : waiting.values()) {
            JobState job = waited.state();
            if (job.status() == JobStatus.RUNNING) {
                continue;
            }
            if (job.retryAt() != null && job.retryAt().isAfter(now)) {
                earliestLater = earliestLater == null || job.retryAt().isBefore(earliestLater) ? job.retryAt() : earliestLater;
                continue;
            }
            due.add(new FairQueue.Entry(job.jobId(), job.owner(), job.priority(), job.rank()));
        }
        lastServed.forEach(due::servedAt);
        while (hasFreeSlot()) {
            FairQueue.Entry next = due.next(id -> false);
            if (next == null) {
                break;
            }
            due.handedOut(next, now.toEpochMilli());
            lastServed.put(next.owner(), now.toEpochMilli());
            requestStart(waiting.get(next.jobId()).state());
        }
        lastServed.keySet().removeIf(owner -> waiting.values().stream().noneMatch(w -> owner.equals(w.state().owner())));
        if (earliestLater != null) {
            wakeAt(earliestLater, now);
        }
        if (running.size() + requested.size() >= concurrency) {
            stopTaking();
        } else {
            takeOffers();
        }
    }

    private boolean hasFreeSlot() {
        return running.size() + requested.size() + reserved() < concurrency;
    }

    /** Asks the decider to start a waiting job here. */
    private void requestStart(JobState job) {
        Waiting waited = waiting.remove(job.jobId());
        requested.put(job.jobId(), waited);
        sender.send(commands.start(job.jobId(), workerId, job.attempt())).whenComplete((ok, error) -> {
            if (error != null) {
                try (JobLogContext ignored = JobLogContext.of(job.jobId(), job.attempt())) {
                    log.warn("Could not ask to start job {}: {}", job.jobId(), error.toString());
                }
                retryLater(job.jobId());
            }
        });
    }

    /** Fills slots again when the earliest waiting retry is due. */
    private void wakeAt(Instant due, Instant now) {
        if (nextWake != null && !nextWake.isAfter(due) && nextWake.isAfter(now)) {
            return;
        }
        nextWake = due;
        timer.schedule(this::wake, Duration.between(now, due).toMillis() + 1, TimeUnit.MILLISECONDS);
    }

    private synchronized void wake() {
        nextWake = null;
        fillSlots();
    }

    private synchronized void retryLater(String jobId) {
        Waiting request = requested.remove(jobId);
        if (request != null) {
            waiting.put(jobId, request);
            Instant now = clock.instant();
            wakeAt(now.plusSeconds(1), now);
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<CompletableFuture<Void>> released = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            stopTaking();
            // A graceful stop hands the running jobs back, so they go on elsewhere at once (a rolling restart costs
            // no attempt and no heartbeat timeout).
            running.values().forEach(execution -> released.add(execution.release("its worker's process is stopping")));
        }
        try {
            CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Not every running job was handed back before stopping ({}); they are taken over when this worker "
                    + "starts again, or end at their heartbeat timeout", e.toString());
        }
        timer.shutdownNow();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
