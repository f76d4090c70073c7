package io.jobline.api.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;

/**
 * The jobs that finished (completed, or failed for good) in the last hour, as this instance's projection folded them:
 * what the dashboard's charts show. Told by the fold, like the lifecycle metrics, so it counts the partitions this
 * instance folds, and starts empty at each start (a restored store folds nothing). At most {@link #CAPACITY} are
 * kept: past that, the oldest go first.
 */
@Component
public class RecentFinishes {

    static final int CAPACITY = 100_000;
    static final Duration WINDOW = Duration.ofHours(1);
    static final int MINUTES = 60;

    private static final Logger log = LoggerFactory.getLogger(RecentFinishes.class);

    /** @param runMillis first start to end; null for a job that never started */
    record Finish(Instant at, String type, String owner, boolean completed, Long runMillis) {
    }

    private final Deque<Finish> finishes = new ArrayDeque<>();
    private final Clock clock;

    public RecentFinishes() {
        this(Clock.systemUTC());
    }

    RecentFinishes(Clock clock) {
        this.clock = clock;
    }

    /** Called by the projection's fold; never throws into it. */
    public void folded(JobEvent event, JobView before, JobView after) {
        try {
            Object payload = event.getPayload();
            if (after == null || before == null || !(payload instanceof JobCompleted || payload instanceof JobFailed)) {
                return;
            }
            Long run = before.startedAt() == null ? null
                    : Math.max(0, Duration.between(before.startedAt(), event.getTimestamp()).toMillis());
            add(new Finish(event.getTimestamp(), after.type(), after.owner(), payload instanceof JobCompleted, run));
        } catch (RuntimeException e) {
            log.warn("Could not note event {} of job {} for the charts", event.getSequence(), event.getJobId(), e);
        }
    }

    synchronized void add(Finish finish) {
        finishes.addLast(finish);
        prune(clock.instant());
    }

    private void prune(Instant now) {
        Instant oldest = now.minus(WINDOW).minus(1, ChronoUnit.MINUTES);
        while (!finishes.isEmpty() && (finishes.size() > CAPACITY || finishes.peekFirst().at().isBefore(oldest))) {
            finishes.removeFirst();
        }
    }

    /** The last hour, minute by minute, of the finishes {@code filter} keeps, and their run times per type. */
    synchronized Activity activity(Predicate<Finish> filter) {
        Instant now = clock.instant();
        prune(now);
        Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(MINUTES - 1, ChronoUnit.MINUTES);
        long[] completed = new long[MINUTES];
        long[] failed = new long[MINUTES];
        Map<String, List<Long>> runs = new TreeMap<>();
        for (Finish finish : finishes) {
            if (finish.at().isBefore(first) || finish.at().isAfter(now) || !filter.test(finish)) {
                continue;
            }
            int minute = (int) Duration.between(first, finish.at()).toMinutes();
            if (finish.completed()) {
                completed[minute]++;
            } else {
                failed[minute]++;
            }
            if (finish.runMillis() != null) {
                runs.computeIfAbsent(finish.type(), t -> new ArrayList<>()).add(finish.runMillis());
            }
        }
        List<Activity.Minute> minutes = new ArrayList<>();
        long completedTotal = 0;
        long failedTotal = 0;
        for (int i = 0; i < MINUTES; i++) {
            minutes.add(new Activity.Minute(first.plus(i, ChronoUnit.MINUTES), completed[i], failed[i]));
            completedTotal += completed[i];
            failedTotal += failed[i];
        }
        List<Activity.RunTimes> durations = new ArrayList<>();
        runs.forEach((type, millis) -> {
            millis.sort(null);
            durations.add(new Activity.RunTimes(type, millis.size(), percentile(millis, 50) / 1000.0, percentile(millis, 95) / 1000.0));
        });
        return new Activity(first, now, completedTotal, failedTotal, minutes, durations);
    }

    /** The nearest-rank percentile of sorted values: the smallest value at or above {@code p}% of them. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
