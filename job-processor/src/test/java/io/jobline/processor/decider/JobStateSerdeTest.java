package io.jobline.processor.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.core.support.StateSerde;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.smile.SmileMapper;

/** The decider's state in its store: what StateSerde must keep reading as JobState grows. */
class JobStateSerdeTest {

    private final StateSerde<JobState> serde = new StateSerde<>(JobState.class);
    private final ObjectMapper smile = SmileMapper.builder().build();

    private static JobState runningJob() {
        return new JobState("job-1", JobStatus.RUNNING, "demo", "alice", "{\"stages\": 2}",
                List.of(new StoredFile("a.mp4", "files/job-1/video", 42, "video/mp4")), List.of("fetch", "render"),
                2, 7, "worker-1", 2, 1, "{\"frame\": 10}", "timed out", Policy.SINGLE_ATTEMPT.withMaxAttempts(3), 1,
                null, Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(1_700_000_001_000L), null, 2, 0, null, null);
    }

    @Test
    void shouldReadTheSameStateBack() {
        JobState state = runningJob();

        assertThat(serde.deserializer().deserialize("store", serde.serializer().serialize("store", state)))
                .isEqualTo(state);
    }

    @Test
    void shouldReadAStateStoredBeforeRestartsWereCounted() {
        JobState state = runningJob();
        ObjectNode old = (ObjectNode) smile.readTree(serde.serializer().serialize("store", state));
        old.remove("restarts");
        ((ObjectNode) old.get("policy")).remove("maxRestarts");

        JobState read = serde.deserializer().deserialize("store", smile.writeValueAsBytes(old));

        assertThat(read.restarts()).isZero();
        assertThat(read.policy().maxRestarts()).isNull();
        assertThat(read.effectivePolicy().effectiveMaxRestarts()).isEqualTo(Policy.DEFAULT_MAX_RESTARTS);
        assertThat(read.attempt()).isEqualTo(state.attempt());
    }

    @Test
    void shouldReadAStateStoredBeforeDynamicStagesAsAFixedPlan() {
        JobState dynamic = withDynamicStages(runningJob());
        assertThat(serde.deserializer().deserialize("store", serde.serializer().serialize("store", dynamic)).dynamicStages())
                .isTrue();
        ObjectNode old = (ObjectNode) smile.readTree(serde.serializer().serialize("store", runningJob()));
        old.remove("dynamicStages");

        JobState read = serde.deserializer().deserialize("store", smile.writeValueAsBytes(old));

        assertThat(read.dynamicStages()).isFalse();
        assertThat(read).isEqualTo(runningJob());
    }

    private static JobState withDynamicStages(JobState s) {
        return new JobState(s.jobId(), s.status(), s.type(), s.owner(), s.input(), s.files(), s.stages(), s.attempt(),
                s.sequence(), s.workerId(), s.stage(), s.completedStages(), s.checkpoint(), s.error(), s.policy(),
                s.failures(), s.retryAt(), s.attemptStartedAt(), s.stageStartedAt(), s.lastReportAt(), s.restarts(),
                s.priority(), s.typeVersion(), s.concurrencyLimit(), true, null);
    }
}
