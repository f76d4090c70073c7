package io.jobline.api.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.ActiveJobs;
import io.jobline.projections.stats.TypeStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code jobline.jobs.active}: pending and running jobs per type and priority, read from the projection's counts of
 * the partitions this instance holds, so that a sum over instances is the cluster's. A (type, priority) once seen
 * stays at 0 rather than vanishing, and every type with retained jobs shows priority 0, so a dashboard sees 0, not
 * "no data", for an empty queue.
 */
final class ActiveJobsGauges {

    private static final Logger log = LoggerFactory.getLogger(ActiveJobsGauges.class);

    private final Supplier<List<ActiveJobs>> active;
    private final Supplier<List<TypeStats>> types;
    private final MeterRegistry registry;
    private final Map<Row, AtomicLong> values = new ConcurrentHashMap<>();

    ActiveJobsGauges(JobQueries queries, MeterRegistry registry) {
        this(queries::activeByPriority, queries::stats, registry);
    }

    ActiveJobsGauges(Supplier<List<ActiveJobs>> active, Supplier<List<TypeStats>> types, MeterRegistry registry) {
        this.active = active;
        this.types = types;
        this.registry = registry;
    }

    /** Reads the counts again: a handful of store reads. */
    void refresh() {
        List<ActiveJobs> counts;
        List<TypeStats> known;
        try {
            counts = active.get();
            known = types.get();
        } catch (InvalidStateStoreException e) {
            log.debug("Active job counts not readable yet: {}", e.getMessage());
            return; // a rebalance or the start: the last values stay until the next refresh
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task, it would cancel every later refresh.
            log.warn("Could not read the active job counts; the gauges keep their last values", e);
            return;
        }
        Set<Row> seen = new HashSet<>();
        for (ActiveJobs jobs : counts) {
            set(new Row(jobs.type(), jobs.priority(), "pending"), jobs.pending(), seen);
            set(new Row(jobs.type(), jobs.priority(), "running"), jobs.running(), seen);
        }
        for (TypeStats type : known) {
            set(new Row(type.type(), 0, "pending"), 0, seen);
            set(new Row(type.type(), 0, "running"), 0, seen);
        }
        values.forEach((row, value) -> {
            if (!seen.contains(row)) {
                value.set(0);
            }
        });
    }

    private void set(Row row, long value, Set<Row> seen) {
        AtomicLong holder = values.computeIfAbsent(row, r -> {
            AtomicLong created = new AtomicLong();
            Gauge.builder("jobline.jobs.active", created, AtomicLong::get)
                    .description("Pending and running jobs, in the partitions this instance holds")
                    .tags("type", r.type(), "priority", Integer.toString(r.priority()), "status", r.status())
                    .register(registry);
            return created;
        });
        if (seen.add(row)) {
            holder.set(value);
        } else {
            holder.addAndGet(value);
        }
    }

    private record Row(String type, int priority, String status) {
    }
}
