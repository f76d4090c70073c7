package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.DashboardQueries;
import io.jobline.api.support.Scrape;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SharedService;
import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/prometheus on the running service: the lifecycle counters and histograms move by exactly what a handful
 * of jobs did, and every metric the Grafana dashboard queries is in a real scrape. Other test classes share the
 * service, so each check reads its values before and after, and the jobs are of a type of this class's own, run by
 * this test as an external worker: nothing else starts, ends or counts them.
 */
@ExtendWith(SharedService.class)
class MetricsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TYPE = "metrics-it";
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "jobline.json");

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldServeTheScrapeToThisMachineAsItServesMetrics() {
        Response scrape = client.get("/actuator/prometheus");

        assertThat(scrape.status()).as("loopback is the admin 'local' in protected mode").isEqualTo(200);
        assertThat(scrape.header("Content-Type")).startsWith("text/plain");
        assertThat(client.get("/actuator/metrics").status()).isEqualTo(scrape.status());
    }

    @Test
    void shouldCountEachJobOnceByItsOutcomeAndTimeItsQueueAndRun() {
        declareType();
        Scrape before = scrape();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.submit(TYPE, "{}"));
        }
        await("5 pending in the gauge").atMost(TIMEOUT).until(() ->
                scrape().sum("jobline_jobs_active", "type", TYPE, "status", "pending") == 5);

        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode task = poll();
            attempts.add("/api/jobs/" + task.get("job_id").asString() + "/attempts/" + task.get("attempt").asInt());
        }
        await("5 running in the gauge").atMost(TIMEOUT).until(() ->
                scrape().sum("jobline_jobs_active", "type", TYPE, "status", "running") == 5);
        for (int i = 0; i < 3; i++) {
            assertThat(client.postJson(attempts.get(i) + "/complete", "{}").status()).isEqualTo(200);
        }
        assertThat(client.postJson(attempts.get(3) + "/fail", "{\"error\": \"boom\", \"retryable\": false}").status()).isEqualTo(200);
        String cancelled = attempts.get(4).substring(0, attempts.get(4).indexOf("/attempts"));
        assertThat(client.postJson(cancelled + "/cancel", "").status()).isEqualTo(202);

        await("every job counted").atMost(TIMEOUT).until(() -> {
            Scrape now = scrape();
            return moved(before, now, "jobline_jobs_completed_total") >= 3 && moved(before, now, "jobline_jobs_failed_total") >= 1
                    && moved(before, now, "jobline_jobs_cancelled_total") >= 1;
        });
        Scrape after = scrape();
        assertThat(moved(before, after, "jobline_jobs_submitted_total")).isEqualTo(5);
        assertThat(moved(before, after, "jobline_jobs_started_total")).isEqualTo(5);
        assertThat(moved(before, after, "jobline_jobs_completed_total")).isEqualTo(3);
        assertThat(moved(before, after, "jobline_jobs_failed_total")).isEqualTo(1);
        assertThat(moved(before, after, "jobline_jobs_cancelled_total")).isEqualTo(1);
        assertThat(moved(before, after, "jobline_jobs_retries_total")).isZero();
        assertThat(moved(before, after, "jobline_jobs_restarts_total")).isZero();
        assertThat(moved(before, after, "jobline_jobs_pickup_latency_seconds_count")).isEqualTo(5);
        assertThat(moved(before, after, "jobline_jobs_queue_time_seconds_count")).isEqualTo(5);
        assertThat(moved(before, after, "jobline_jobs_queue_time_seconds_bucket", "le", "+Inf")).isEqualTo(5);
        assertThat(moved(before, after, "jobline_jobs_run_time_seconds_count", "outcome", "completed")).isEqualTo(3);
        assertThat(moved(before, after, "jobline_jobs_run_time_seconds_count", "outcome", "failed")).isEqualTo(1);
        assertThat(moved(before, after, "jobline_jobs_run_time_seconds_count", "outcome", "cancelled")).isEqualTo(1);
        assertThat(after.sum("jobline_jobs_run_time_seconds_bucket", "type", TYPE, "outcome", "completed", "le", "1800.0"))
                .as("the 30-minute bucket holds every run").isEqualTo(after.sum("jobline_jobs_run_time_seconds_count",
                        "type", TYPE, "outcome", "completed"));
        await("nothing active in the gauge").atMost(TIMEOUT).until(() ->
                scrape().sum("jobline_jobs_active", "type", TYPE) == 0);
        assertThat(after.sum("jobline_workers_connected", "kind", "external")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldFindEveryMetricTheDashboardQueriesInAScrape() throws IOException {
        String demo = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        String failing = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0, \"fail_at_stage\": 1, \"fatal\": true}");
        String cancelled = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 60000}");
        await().atMost(TIMEOUT).until(() -> client.job(cancelled).get("status").asString().equals("running"));
        client.postJson("/api/jobs/" + cancelled + "/cancel", "");
        for (String id : List.of(demo, failing, cancelled)) {
            await().atMost(TIMEOUT).until(() -> !Set.of("pending", "running").contains(client.job(id).get("status").asString()));
        }
        declareType();
        client.postJson("/api/workers/poll", "{\"worker_id\": \"metrics-it-idle\", \"types\": [\"" + TYPE + "\"], \"wait_ms\": 0}");
        client.get("/api/jobs");

        Set<String> queried = DashboardQueries.metricNames(Json.parse(Files.readString(DASHBOARD)));
        assertThat(queried).as("the dashboard queries jobline's own metrics, Kafka's and HTTP's")
                .anyMatch(n -> n.startsWith("jobline_jobs_")).anyMatch(n -> n.startsWith("kafka_"))
                .contains("http_server_requests_seconds_bucket");
        await("every metric of the dashboard scraped").atMost(TIMEOUT).untilAsserted(() ->
                assertThat(scrape().names()).containsAll(queried));
    }

    private void declareType() {
        Response declared = client.send("/api/job-types/" + TYPE, "PUT", "application/json", "{\"stages\": [\"only\"]}");
        assertThat(declared.status()).as(declared.text()).isIn(200, 201, 409);
    }

    private JsonNode poll() {
        Response task = client.postJson("/api/workers/poll",
                "{\"worker_id\": \"metrics-it\", \"types\": [\"" + TYPE + "\"], \"wait_ms\": 10000}");
        assertThat(task.status()).as(task.text()).isEqualTo(200);
        return task.json();
    }

    private Scrape scrape() {
        Response response = client.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return Scrape.parse(response.text());
    }

    private static double moved(Scrape before, Scrape after, String name, String... labels) {
        String[] withType = new String[labels.length + 2];
        withType[0] = "type";
        withType[1] = TYPE;
        System.arraycopy(labels, 0, withType, 2, labels.length);
        return after.sum(name, withType) - before.sum(name, withType);
    }
}
