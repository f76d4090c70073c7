package io.jobline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * The harness end to end with tiny counts: every figure is measured and reported in both formats. It checks that
 * the harness works, not how fast anything is.
 */
class BenchmarkHarnessSmokeIT {

    @TempDir
    Path out;

    @Test
    void shouldMeasureEveryFigureAndWriteMarkdownAndJson() throws Exception {
        BenchmarkHarness.Settings quick = BenchmarkHarness.Settings.of(Map.of("quick", "", "out", out.toString()));

        BenchmarkHarness.run(quick);

        JsonNode results = Json.MAPPER.readTree(Files.readString(out.resolve("results.json")));
        JsonNode figures = results.get("figures");
        for (String name : List.of("throughput_jobs_per_s", "throughput_at_least_once_jobs_per_s",
                "kafka_producer_records_per_s", "submit_at_half_max_p99_ms", "kafka_send_at_half_max_p99_ms",
                "submit_at_1000_p999_ms", "pickup_p50_ms", "start_visible_p99_ms", "kafka_end_to_end_p50_ms",
                "projection_lag_p99_ms", "push_1_clients_p99_ms", "push_5_clients_p99_ms", "push_5_clients_machine_busy_pct",
                "memory_idle_rss_mb",
                "memory_load_rss_mb")) {
            assertThat(figures.has(name)).as(name).isTrue();
            assertThat(figures.get(name).get("median").asDouble()).as(name).isPositive();
        }
        assertThat(figures.get("push_5_clients_delivered_ratio").get("median").asDouble()).isEqualTo(1.0);
        JsonNode facts = results.get("facts");
        assertThat(facts.get("records_per_job").asDouble()).isGreaterThan(10);
        assertThat(facts.get("efficiency").asDouble()).isPositive();
        assertThat(facts.get("backlog_completed").asLong()).isEqualTo(500);
        assertThat(facts.get("backlog_failed").asLong()).isZero();
        assertThat(facts.get("throughput_runs_failed_jobs").asLong()).isZero();
        assertThat(Files.readString(out.resolve("results.md"))).contains("| No-op jobs/s end to end (exactly-once) |");
    }
}
