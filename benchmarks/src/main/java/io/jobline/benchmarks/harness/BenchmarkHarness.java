package io.jobline.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.jobline.core.support.Json;

/**
 * The benchmark harness: starts the service (the runnable jar, on its embedded broker) and measures it against
 * Kafka's own limits on the same broker in the same run. Each figure is the median of {@code --runs} runs, with
 * min and max. Writes {@code results.md} and {@code results.json} to {@code --out} and prints the Markdown.
 *
 * <p>Arguments (all optional): {@code --runs=3 --jobs=10000 --backlog=100000 --out=target/benchmarks}, or
 * {@code --quick} for a smoke run with tiny counts. {@code --throughput-only} measures no-op jobs/s alone (with
 * {@code -Djobline.bench.jar=...}, of another build), {@code --pickup-only} the pickup figures alone. {@code --push-only} measures push latency alone, {@code --push=100:40} chooses the
 * push loads (clients:jobs, comma-separated), {@code --push-warmup=90} how many seconds of uncounted push runs come first.
 * {@code --cluster=1,2,3} measures scale-out alone: no-op jobs/s and read latency with that many instances.
 */
public final class BenchmarkHarness {

    /**
     * Steal is time the hypervisor gave the machine's virtual cores to someone else: a stall the service cannot see
     * or avoid. Push figures are also given over the runs with less of it than this, beside those of every run.
     */
    static final int LOW_STEAL_PERCENT = 5;

    private final Settings settings;
    private final Path jar;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    private BenchmarkHarness(Settings settings, Path jar) {
        this.settings = settings;
        this.jar = jar;
    }

    /** Counts and durations of one harness run. */
    record Settings(int runs, int jobs, int warmupJobs, int backlogJobs, int rawRecords, double latencySeconds, double pickupRate,
                    int endToEndIterations, List<PushLoad> push, int pushWarmupSeconds, int idleSeconds, boolean pushOnly,
                    boolean throughputOnly, boolean pickupOnly, List<Integer> cluster, Path out) {

        static Settings of(Map<String, String> options) {
            boolean quick = options.containsKey("quick");
            int runs = Integer.parseInt(options.getOrDefault("runs", quick ? "1" : "3"));
            int jobs = Integer.parseInt(options.getOrDefault("jobs", quick ? "500" : "10000"));
            int backlog = Integer.parseInt(options.getOrDefault("backlog", quick ? "500" : "100000"));
            return new Settings(runs, jobs, quick ? 500 : 20_000, backlog, quick ? 5_000 : 300_000, quick ? 1 : 8,
                    quick ? 10 : 20, quick ? 50 : 500,
                    options.containsKey("push") ? PushLoad.list(options.get("push"))
                            : quick ? List.of(new PushLoad(1, 1), new PushLoad(5, 1))
                            : List.of(new PushLoad(1, 40), new PushLoad(100, 40), new PushLoad(1000, 6)),
                    Integer.parseInt(options.getOrDefault("push-warmup", quick ? "0" : "90")), quick ? 2 : 15,
                    options.containsKey("push-only"), options.containsKey("throughput-only"), options.containsKey("pickup-only"),
                    options.containsKey("cluster") ? Arrays.stream(options.get("cluster").split(",")).map(String::trim)
                            .map(Integer::valueOf).toList() : List.of(),
                    Path.of(options.getOrDefault("out", "target/benchmarks")));
        }
    }

    /**
     * Push load: {@code clients} WebSocket clients subscribed to every job while {@code jobs} demo jobs of 20 stages of
     * 250 ms run at once (40 jobs: about 1,000 events/s, the figure; every client gets every event).
     */
    record PushLoad(int clients, int jobs) {

        /** From {@code --push=100:40,1000:6} (clients:jobs, comma-separated). */
        static List<PushLoad> list(String spec) {
            return Arrays.stream(spec.split(",")).map(part -> part.split(":"))
                    .map(p -> new PushLoad(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()))).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String option = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = option.indexOf('=');
            options.put(eq < 0 ? option : option.substring(0, eq), eq < 0 ? "" : option.substring(eq + 1));
        }
        Path out = run(Settings.of(options));
        System.out.println(Files.readString(out.resolve("results.md")));
    }

    /** Runs every measurement and writes the report; returns the folder it is in. */
    public static Path run(Settings settings) throws Exception {
        BenchmarkHarness harness = new BenchmarkHarness(settings, ServiceProcess.findJar());
        long start = System.nanoTime();
        if (!settings.cluster().isEmpty()) {
            harness.measureCluster();
        } else if (settings.pushOnly()) {
            harness.measurePushOnly();
        } else if (settings.throughputOnly()) {
            harness.measureThroughputOnly();
        } else if (settings.pickupOnly()) {
            harness.measurePickupOnly();
        } else {
            harness.measureIdleMemory();
            harness.measureExactlyOnce();
            harness.measureAtLeastOnce();
        }
        harness.facts.put("harness_seconds", Math.round((System.nanoTime() - start) / 1e9));
        return harness.write();
    }

    /** The embedded default, untouched: resident memory once it has settled. */
    private void measureIdleMemory() throws Exception {
        Figure idle = figure("memory_idle_rss_mb", "MB");
        for (int run = 0; run < settings.runs(); run++) {
            try (ServiceProcess service = ServiceProcess.start(jar, Map.of())) {
                Thread.sleep(settings.idleSeconds() * 1000L);
                idle.add(service.residentBytes() / 1e6);
            }
        }
    }

    // Every push client connects from 127.0.0.1, up to 1,000 of them: the push figures measure delivery, not the
    // per-address connection limit (100 by default).
    private static final Map<String, String> LOADED = Map.of("JOBLINE_PROCESSOR_CONCURRENCY", "64",
            "JOBLINE_LIVE_QUEUE_CAPACITY", "100000",
            "JOBLINE_LIVE_MAX_CONNECTIONS", "100000",
            "JOBLINE_LIVE_MAX_CONNECTIONS_PER_ADDRESS", "100000");

    /** External workers long-polling in the pickup figure: a few, as a team would run beside the service. */
    private static final int EXTERNAL_POLLERS = 4;

    private void measureExactlyOnce() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(jar, LOADED)) {
            ServiceLoad load = new ServiceLoad(service);
            KafkaBaselines kafka = new KafkaBaselines(service.bootstrapServers);
            load.throughput(settings.warmupJobs());

            AtomicLong peakRss = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peakRss.accumulateAndGet(service.residentBytes(), Math::max);
                } catch (Exception e) {
                    // the service is stopping
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            long recordsBefore = kafka.recordsWritten();
            long completedBefore = load.completed();
            long failed = 0;
            for (int run = 0; run < settings.runs(); run++) {
                ServiceLoad.Throughput throughput = load.throughput(settings.jobs());
                figure("throughput_jobs_per_s", "jobs/s").add(throughput.jobsPerSecond());
                failed += throughput.failed();
            }
            facts.put("throughput_runs_failed_jobs", failed);
            double recordsPerJob = (double) (kafka.recordsWritten() - recordsBefore) / (load.completed() - completedBefore);
            sampler.shutdownNow();
            figure("memory_load_rss_mb", "MB").add(peakRss.get() / 1e6);
            facts.put("records_per_job", round(recordsPerJob));

            int recordSize = (kafka.averageValueSize("job-commands", 2_000) + kafka.averageValueSize("job-events", 2_000)) / 2;
            facts.put("record_size_bytes", recordSize);
            for (int run = 0; run < settings.runs(); run++) {
                figure("kafka_producer_records_per_s", "records/s")
                        .add(kafka.producerThroughput("bench-raw", 6, settings.rawRecords(), recordSize));
            }
            double jobsPerS = figures.get("throughput_jobs_per_s").median();
            double rawPerS = figures.get("kafka_producer_records_per_s").median();
            facts.put("efficiency", round(jobsPerS * recordsPerJob / rawPerS));

            double rate = Math.max(10, Math.floor(jobsPerS / 2));
            facts.put("submit_rate_half_max", rate);
            // Not counted: the single-submit path is not the batch path the throughput runs compiled.
            load.submitLatency(rate, settings.latencySeconds());
            waitUntilIdle(load);
            for (double r : List.of(rate, 1000.0)) {
                String at = r == 1000.0 ? "_at_1000" : "_at_half_max";
                for (int run = 0; run < settings.runs(); run++) {
                    Samples submit = load.submitLatency(r, settings.latencySeconds());
                    percentiles("submit" + at, submit, 50, 99, 99.9);
                    Samples produce = kafka.producerLatency("bench-latency", 6, r, settings.latencySeconds(), recordSize);
                    percentiles("kafka_send" + at, produce, 50, 99, 99.9);
                    waitUntilIdle(load);
                }
            }

            measurePickup(load, kafka, recordSize);

            measurePush(service, load);
            waitUntilIdle(load);
            measureBacklog(load);

            long retained = load.retainedJobs();
            facts.put("retained_jobs", retained);
            facts.put("changelog_bytes_per_job", Math.round((double) kafka.logBytes("-changelog") / retained));
            facts.put("state_store_disk_bytes_per_job", Math.round((double) service.stateStoreBytes() / retained));
        }
    }

    /**
     * A backlog: {@code --backlog} no-op jobs submitted at once, once, at the end of the exactly-once run (after the
     * figures that compare with at-least-once, whose service has not had it as a warm-up). Every one must
     * end completed; a job failing here is a defect (a timeout judged while its heartbeat waited in the backlog was
     * one), so the harness reports how many failed rather than only how fast the rest went.
     */
    private void measureBacklog(ServiceLoad load) throws Exception {
        ServiceLoad.Throughput backlog = load.throughput(settings.backlogJobs());
        facts.put("backlog_jobs", backlog.completed() + backlog.failed());
        facts.put("backlog_completed", backlog.completed());
        facts.put("backlog_failed", backlog.failed());
        facts.put("backlog_jobs_per_s", Math.round(backlog.jobsPerSecond()));
    }

    /**
     * No-op throughput alone (--throughput-only), to compare two builds (-Djobline.bench.jar=...): the same warm-up
     * and runs as a full run's first figure.
     */
    private void measureThroughputOnly() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(jar, LOADED)) {
            ServiceLoad load = new ServiceLoad(service);
            load.throughput(settings.warmupJobs());
            for (int run = 0; run < settings.runs(); run++) {
                figure("throughput_jobs_per_s", "jobs/s").add(load.throughput(settings.jobs()).jobsPerSecond());
            }
        }
    }

    /**
     * Scale-out (--cluster=1,2,3): for each instance count, that many instances on one broker, clustered; no-op
     * jobs/s (after a warm-up of a quarter of a full run's) with the batches spread over them, and reads of a job on
     * the instance that holds it and on the others.
     */
    private void measureCluster() throws Exception {
        for (int size : settings.cluster()) {
            for (int run = 0; run < settings.runs(); run++) {
                try (ClusterScaling cluster = ClusterScaling.start(jar, LOADED, size)) {
                    cluster.throughput(settings.warmupJobs() / 4);
                    figure("cluster_" + size + "_jobs_per_s", "jobs/s").add(cluster.throughput(settings.jobs()));
                    ClusterScaling.Reads reads = cluster.reads(CLUSTER_READ_JOBS);
                    percentiles("cluster_" + size + "_local_read", reads.local(), 50, 99);
                    if (size > 1) {
                        percentiles("cluster_" + size + "_remote_read", reads.remote(), 50, 99);
                    }
                }
            }
        }
    }

    /** Jobs read on every instance in a scale-out run. */
    private static final int CLUSTER_READ_JOBS = 500;

    /**
     * Pickup alone (--pickup-only): in-process (eager start) and long-poll (external workers), with Kafka's own
     * end-to-end latency beside them, after a warm-up of a quarter of a full run's.
     */
    private void measurePickupOnly() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(jar, LOADED)) {
            ServiceLoad load = new ServiceLoad(service);
            KafkaBaselines kafka = new KafkaBaselines(service.bootstrapServers);
            load.throughput(settings.warmupJobs() / 4);
            int recordSize = kafka.averageValueSize("job-events", 2_000);
            measurePickup(load, kafka, recordSize);
        }
    }

    private void measurePickup(ServiceLoad load, KafkaBaselines kafka, int recordSize) throws Exception {
        for (int run = 0; run < settings.runs(); run++) {
            ServiceLoad.Latencies latencies = load.pickupAndLag(settings.pickupRate(), settings.latencySeconds());
            percentiles("pickup", latencies.pickup(), 50, 99);
            percentiles("start_visible", latencies.startVisible(), 50, 99);
            percentiles("projection_lag", latencies.projectionLag(), 50, 99);
            percentiles("kafka_end_to_end", kafka.endToEnd("bench-e2e", settings.endToEndIterations(), recordSize), 50, 99);
        }
        if (Boolean.getBoolean("jobline.bench.no-workers")) {
            return; // a build from before the worker protocol (-Djobline.bench.no-workers=true)
        }
        int missed = 0;
        for (int run = 0; run < settings.runs(); run++) {
            ExternalWorkers.Result external = load.externalPickup(EXTERNAL_POLLERS, settings.pickupRate(), settings.latencySeconds());
            percentiles("long_poll_pickup", external.pickup(), 50, 99);
            missed += external.missed();
        }
        facts.put("long_poll_pickup_missed_jobs", missed);
    }

    /** Push latency alone (--push-only), for working on it: after the same warm-up as a full run. */
    private void measurePushOnly() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(jar, LOADED)) {
            ServiceLoad load = new ServiceLoad(service);
            load.throughput(settings.warmupJobs());
            waitUntilIdle(load);
            measurePush(service, load);
        }
    }

    /**
     * Push runs that are not counted come first, for {@code --push-warmup} seconds (at least one run): the push path
     * is code the other loads never ran, and until the JIT has compiled it (about a minute and a half of push load
     * on two cores) its compiler takes a third to half a core and the p99 is about twice the steady one.
     */
    private void measurePush(ServiceProcess service, ServiceLoad load) throws Exception {
        PushLoad first = settings.push().get(0);
        long warmupEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.pushWarmupSeconds());
        try (PushClients warmup = new PushClients(service, first.clients())) {
            do {
                warmup.run(load, first.jobs(), 20, 250);
            } while (System.nanoTime() < warmupEnds);
        }
        for (PushLoad pushLoad : settings.push()) {
            int clients = pushLoad.clients();
            String name = "push_" + clients + "_clients";
            try (PushClients push = new PushClients(service, clients)) {
                for (int run = 0; run < settings.runs(); run++) {
                    MachineCpu before = MachineCpu.now();
                    PushClients.Result result = push.run(load, pushLoad.jobs(), 20, 250);
                    MachineCpu after = MachineCpu.now();
                    double steal = after.stealPercentSince(before);
                    figure(name + "_machine_busy_pct", "%").add(after.busyPercentSince(before));
                    figure(name + "_steal_pct", "%").add(steal);
                    if (steal < LOW_STEAL_PERCENT) {
                        figure(name + "_low_steal_p99_ms", "ms").add(result.latencies().percentileMs(99));
                    }
                    percentiles(name, result.latencies(), 50, 99);
                    percentiles(name + "_to_visible", result.toVisible(), 50, 99);
                    percentiles(name + "_visible_to_client", result.visibleToClient(), 50, 99);
                    figure(name + "_delivered_ratio", "").add(
                            result.expected() == 0 ? Double.NaN : (double) result.delivered() / result.expected());
                    figure(name + "_events_per_s", "events/s").add(result.eventsPerSecond());
                }
            }
        }
    }

    /** The same throughput runs with both Streams applications at-least-once: what exactly-once costs. */
    private void measureAtLeastOnce() throws Exception {
        Map<String, String> env = new HashMap<>(LOADED);
        env.put("JOBLINE_PROCESSING_GUARANTEE", "at_least_once");
        try (ServiceProcess service = ServiceProcess.start(jar, env)) {
            ServiceLoad load = new ServiceLoad(service);
            load.throughput(settings.warmupJobs());
            for (int run = 0; run < settings.runs(); run++) {
                figure("throughput_at_least_once_jobs_per_s", "jobs/s").add(load.throughput(settings.jobs()).jobsPerSecond());
            }
        }
        facts.put("exactly_once_cost", round(1 - figures.get("throughput_jobs_per_s").median()
                / figures.get("throughput_at_least_once_jobs_per_s").median()));
    }

    /** Lets a latency run's jobs finish before the next run starts. */
    private static void waitUntilIdle(ServiceLoad load) throws Exception {
        long last = -1;
        for (int i = 0; i < 600; i++) {
            long completed = load.completed();
            if (completed == last) {
                return;
            }
            last = completed;
            Thread.sleep(500);
        }
    }

    private void percentiles(String name, Samples samples, double... ps) {
        for (double p : ps) {
            String label = p == 99.9 ? "p999" : "p" + (int) p;
            figure(name + "_" + label + "_ms", "ms").add(samples.percentileMs(p));
        }
        figure(name + "_samples", "").add(samples.size());
    }

    private Figure figure(String name, String unit) {
        return figures.computeIfAbsent(name, n -> new Figure(n, unit));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private Path write() throws Exception {
        Path out = settings.out();
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("machine", machine());
        json.put("settings", Map.of("runs", settings.runs(), "jobs_per_throughput_run", settings.jobs(),
                "latency_seconds", settings.latencySeconds(), "pickup_rate_per_s", settings.pickupRate(),
                "push", settings.push()));
        json.put("facts", facts);
        Map<String, Object> measured = new LinkedHashMap<>();
        figures.values().forEach(f -> measured.put(f.name, Map.of("median", round(f.median()), "min", round(f.min()),
                "max", round(f.max()), "runs", f.runs, "unit", f.unit)));
        json.put("figures", measured);
        Files.writeString(out.resolve("results.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        Files.writeString(out.resolve("results.md"), markdown());
        return out;
    }

    private Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9));
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine()).append(", runs: ").append(settings.runs()).append("\n\n");
        md.append("| figure | median | min | max | baseline (median) | ratio |\n|---|---:|---:|---:|---:|---:|\n");
        row(md, "No-op jobs/s end to end (exactly-once)", "throughput_jobs_per_s", null, false);
        row(md, "Raw producer records/s (acks=all, same record size)", "kafka_producer_records_per_s", null, false);
        row(md, "No-op jobs/s (at-least-once)", "throughput_at_least_once_jobs_per_s", null, false);
        for (String at : List.of("_at_half_max", "_at_1000")) {
            for (String p : List.of("p50", "p99", "p999")) {
                row(md, "Submit " + p + " ms " + at.substring(1).replace('_', ' '), "submit" + at + "_" + p + "_ms",
                        "kafka_send" + at + "_" + p + "_ms", true);
            }
        }
        for (String p : List.of("p50", "p99")) {
            row(md, "Pickup " + p + " ms (submit to first stage running)", "pickup_" + p + "_ms", "kafka_end_to_end_" + p + "_ms", true);
        }
        for (String p : List.of("p50", "p99")) {
            row(md, "Long-poll pickup " + p + " ms (submit to an external worker's poll answering)",
                    "long_poll_pickup_" + p + "_ms", "kafka_end_to_end_" + p + "_ms", true);
        }
        for (String p : List.of("p50", "p99")) {
            row(md, "Start visible " + p + " ms (submit to JobStarted read_committed)", "start_visible_" + p + "_ms",
                    "kafka_end_to_end_" + p + "_ms", true);
        }
        for (String p : List.of("p50", "p99")) {
            row(md, "Projection lag " + p + " ms (JobCompleted to GET)", "projection_lag_" + p + "_ms", null, false);
        }
        for (int clients : settings.push().stream().map(PushLoad::clients).toList()) {
            String name = "push_" + clients + "_clients";
            for (String p : List.of("p50", "p99")) {
                row(md, "Push " + p + " ms, " + clients + " subscriber(s)", name + "_" + p + "_ms", null, false);
                row(md, "  of which report to read_committed visible " + p + " ms", name + "_to_visible_" + p + "_ms", null, false);
                row(md, "  of which visible to client " + p + " ms", name + "_visible_to_client_" + p + "_ms", null, false);
            }
            row(md, "Push delivered / expected, " + clients + " subscriber(s)", name + "_delivered_ratio", null, false);
            row(md, "Push load events/s, " + clients + " subscriber(s)", name + "_events_per_s", null, false);
            row(md, "  machine busy % during those runs (both cores)", name + "_machine_busy_pct", null, false);
            row(md, "  of which stolen by the hypervisor %", name + "_steal_pct", null, false);
            Figure lowSteal = figures.get(name + "_low_steal_p99_ms");
            Figure all = figures.get(name + "_p99_ms");
            if (lowSteal != null && all != null) {
                row(md, "Push p99 ms, " + clients + " subscriber(s), the " + lowSteal.runs.size() + " of " + all.runs.size()
                        + " runs with under " + LOW_STEAL_PERCENT + " % steal", name + "_low_steal_p99_ms", null, false);
            }
        }
        for (int size : settings.cluster()) {
            row(md, size + " instance(s): no-op jobs/s", "cluster_" + size + "_jobs_per_s", null, false);
            for (String p : List.of("p50", "p99")) {
                row(md, size + " instance(s): read " + p + " ms, the instance holding the job", "cluster_" + size + "_local_read_" + p + "_ms", null, false);
                row(md, size + " instance(s): read " + p + " ms, another instance", "cluster_" + size + "_remote_read_" + p + "_ms", null, false);
            }
        }
        row(md, "Resident memory idle, embedded default (MB)", "memory_idle_rss_mb", null, false);
        row(md, "Resident memory under load (MB, peak)", "memory_load_rss_mb", null, false);
        md.append("\n");
        facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    private void row(StringBuilder md, String label, String name, String baseline, boolean ratio) {
        Figure f = figures.get(name);
        if (f == null) {
            return;
        }
        Figure b = baseline == null ? null : figures.get(baseline);
        md.append("| ").append(label).append(" | ").append(fmt(f.median())).append(" | ").append(fmt(f.min()))
                .append(" | ").append(fmt(f.max())).append(" | ").append(b == null ? "" : fmt(b.median())).append(" | ")
                .append(b == null || !ratio ? "" : fmt(f.median() / b.median())).append(" |\n");
    }

    private static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
