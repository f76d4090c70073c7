package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import io.jobline.api.access.ApiKey;
import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

class SubmitQuotasTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Map<String, List<TypeStats>> statsByOwner = new java.util.HashMap<>();
    private final JobQueries queries = new JobQueries() {
        @Override
        public Optional<JobView> find(String jobId) {
            return Optional.empty();
        }

        @Override
        public JobPage list(JobFilter filter, int limit, int offset, String after) {
            return new JobPage(List.of(), 0, null);
        }

        @Override
        public List<JobEvent> history(String jobId, long afterSequence, int limit) {
            return List.of();
        }

        @Override
        public List<TypeStats> stats() {
            return List.of();
        }

        @Override
        public List<io.jobline.projections.stats.ActiveJobs> activeByPriority() {
            return List.of();
        }

        @Override
        public List<TypeStats> stats(String owner) {
            return statsByOwner.getOrDefault(owner, List.of());
        }

        @Override
        public Optional<Instant> deletedAt(String jobId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> activeJobWithDedupKey(String type, String dedupKey) {
            return Optional.empty();
        }
    };

    private SubmitQuotas quotas(int perSecond, long active, Map<String, JoblineProperties.OwnerQuota> owners) {
        return new SubmitQuotas(new JoblineProperties.Quotas(perSecond, active, null, owners), queries, nanos::get);
    }

    @Test
    void shouldRefuseTheEleventhSubmitInOneSecondWithALimitOfTenAndAdmitItOnceTheFirstIsASecondOld() {
        SubmitQuotas quotas = quotas(10, 0, Map.of());
        quotas.admit("alice", 1);
        nanos.addAndGet(300_000_000L);
        for (int i = 0; i < 9; i++) {
            quotas.admit("alice", 1);
        }

        assertThatThrownBy(() -> quotas.admit("alice", 1)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(429);
            assertThat(e.retryAfter()).hasSeconds(1);
            assertThat(e.headers()).containsEntry("RateLimit-Limit", "10").containsEntry("RateLimit-Remaining", "0");
        });
        quotas.admit("bob", 1);
        nanos.addAndGet(700_000_000L);
        quotas.admit("alice", 1);
        assertThatThrownBy(() -> quotas.admit("alice", 1)).as("the other nine are younger than a second")
                .isInstanceOf(ApiException.class);
    }

    @Test
    void shouldRefuseABatchThatCouldNeverFitAndLetAnOwnerHaveItsOwnLimit() {
        SubmitQuotas quotas = quotas(10, 0, Map.of("batchy", new JoblineProperties.OwnerQuota(500, null, null)));

        assertThatThrownBy(() -> quotas.admit("alice", 11)).hasMessageContaining("split it");
        quotas.admit("batchy", 500);
        assertThatThrownBy(() -> quotas.admit("batchy", 1)).isInstanceOf(ApiException.class);
    }

    @Test
    void shouldCountAKeyWithItsOwnRateApartFromItsOwnerAndTakeTheOwnersLimitsItLeavesOut() {
        statsByOwner.put("alice", List.of(new TypeStats("demo", Map.of("pending", 2L), 0, 0)));
        Map<String, ApiKey.Quotas> keys = Map.of("slow", new ApiKey.Quotas(2, null, null),
                "busy", new ApiKey.Quotas(null, 10L, null));
        SubmitQuotas quotas = new SubmitQuotas(new JoblineProperties.Quotas(0, 0, null,
                Map.of("alice", new JoblineProperties.OwnerQuota(3, 5L, null))), queries, nanos::get,
                id -> Optional.ofNullable(keys.get(id)));

        quotas.admit("alice", "slow", 2);
        assertThatThrownBy(() -> quotas.admit("alice", "slow", 1)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(429);
            assertThat(e.getMessage()).contains("Key 'slow' of owner 'alice' may submit 2 jobs a second");
            assertThat(e.headers()).containsEntry("RateLimit-Limit", "2");
        });
        quotas.admit("alice", null, 1);
        assertThatThrownBy(() -> quotas.admit("alice", "busy", 3)).as("'busy' shares the owner's 3 a second")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.headers()).containsEntry("RateLimit-Limit", "3"));
        assertThatThrownBy(() -> quotas.admit("alice", "slow", 4)).as("'slow' has the owner's 5 active jobs")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("may have 5"));

        statsByOwner.put("alice", List.of(new TypeStats("demo", Map.of("pending", 4L), 0, 0)));
        nanos.addAndGet(1_000_000_000L);
        quotas.admit("alice", "busy", 3);
        assertThatThrownBy(() -> quotas.admit("alice", "unknown", 1)).as("a key without quotas: the owner's")
                .hasMessageContaining("Owner 'alice' may submit 3 jobs a second");
        assertThatThrownBy(() -> quotas.admit("alice", null, 2)).hasMessageContaining("may have 5");
    }

    @Test
    void shouldRefuseJobsPastTheOwnersActiveJobsAndAdmitWithoutLimitsByDefault() {
        statsByOwner.put("alice", List.of(new TypeStats("demo", Map.of("pending", 3L, "running", 1L, "completed", 50L), 0, 0),
                new TypeStats("noop", Map.of("pending", 1L), 0, 0)));
        SubmitQuotas quotas = quotas(0, 6, Map.of());

        quotas.admit("alice", 1);
        assertThatThrownBy(() -> quotas.admit("alice", 2)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.getMessage()).contains("has 5 jobs pending or running", "may have 6"));
        quotas(0, 0, Map.of()).admit("alice", 1000);
    }

    @Test
    void shouldRefuseUploadsPastTheBytesTheOwnersJobsMayHoldCountingEveryTypeAndAnOwnersOwnLimit() {
        statsByOwner.put("alice", List.of(new TypeStats("demo", Map.of("completed", 2L), 0, 600),
                new TypeStats("csv-report", Map.of("pending", 1L), 0, 300)));
        SubmitQuotas quotas = new SubmitQuotas(new JoblineProperties.Quotas(0, 0, DataSize.ofKilobytes(1),
                Map.of("big", new JoblineProperties.OwnerQuota(null, null, DataSize.ofMegabytes(1)))), queries, nanos::get);
        statsByOwner.put("big", statsByOwner.get("alice"));

        quotas.admitUploads("alice", 124);
        assertThatThrownBy(() -> quotas.admitUploads("alice", 125)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(413);
            assertThat(e.getMessage()).contains("holds 900 bytes", "may hold 1024", "these 125 bytes");
        });
        quotas.admitUploads("big", 500_000);
        quotas(0, 0, Map.of()).admitUploads("alice", 1L << 40);
    }
}
