package io.jobline.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.jobline.core.support.Json;

class DashboardQueriesTest {

    @Test
    void shouldFindTheMetricsOfExpressionsAndVariablesButNotLabelsOrFunctions() {
        String dashboard = """
                {"panels": [{"targets": [
                  {"expr": "histogram_quantile(0.99, sum by (le, jobline_client) (rate(jobline_jobs_run_time_seconds_bucket{type=~\\"$type\\",outcome=\\"jobline_x\\"}[$__rate_interval])))"},
                  {"expr": "sum(rate(jobline_jobs_failed_total[5m])) / sum(rate(kafka_producer_record_send_total[5m]))"}]},
                  {"type": "row", "panels": [{"targets": [{"expr": "max(http_server_requests_seconds_max)"}]}]}],
                 "templating": {"list": [{"query": {"query": "label_values(jobline_jobs_submitted_total, type)"}}]}}
                """;

        assertThat(DashboardQueries.metricNames(Json.parse(dashboard))).containsExactly(
                "http_server_requests_seconds_max", "jobline_jobs_failed_total", "jobline_jobs_run_time_seconds_bucket",
                "jobline_jobs_submitted_total", "kafka_producer_record_send_total");
    }
}
