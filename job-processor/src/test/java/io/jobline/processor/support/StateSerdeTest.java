package io.jobline.processor.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.jobline.processor.decider.JobState;
import io.jobline.processor.lifecycle.JobStatus;
import io.jobline.processor.policy.Policy;
import io.jobline.worker.StoredFile;

class StateSerdeTest {

    private final StateSerde<JobState> serde = new StateSerde<>(JobState.class);

    private static JobState runningJob() {
        return new JobState("job-1", JobStatus.RUNNING, "demo", "alice", "{\"stages\": 2}",
                List.of(new StoredFile("a.mp4", "files/job-1/video", 42, "video/mp4")), List.of("fetch", "render"),
                2, 7, "worker-1", 2, 1, "{\"frame\": 10}", "timed out", Policy.SINGLE_ATTEMPT.withMaxAttempts(3), 1,
                null, Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(1_700_000_001_000L), null, 2);
    }

    @Test
    void shouldWriteSmileAndReadTheSameStateBack() {
        JobState state = runningJob();

        byte[] bytes = serde.serializer().serialize("store", state);

        assertThat(StateSerde.isSmile(bytes)).isTrue();
        assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(state);
    }

    @Test
    void shouldLeaveNullFieldsOutAndReadThemBackAsNull() {
        JobState empty = JobState.empty("job-2");

        byte[] bytes = serde.serializer().serialize("store", empty);

        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("checkpoint").contains("jobId");
        assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(empty);
    }

    @Test
    void shouldReadTheJsonTextEarlierVersionsWrote() {
        JobState state = runningJob();
        byte[] json = Json.MAPPER.writeValueAsBytes(state);

        assertThat(StateSerde.isSmile(json)).isFalse();
        assertThat(serde.deserializer().deserialize("store", json)).isEqualTo(state);
    }

    @Test
    void shouldReadAStateStoredBeforeRestartsWereCounted() {
        JobState state = runningJob();
        tools.jackson.databind.node.ObjectNode old = StateSerde.SMILE.valueToTree(state);
        old.remove("restarts");
        ((tools.jackson.databind.node.ObjectNode) old.get("policy")).remove("maxRestarts");

        JobState read = serde.deserializer().deserialize("store", StateSerde.SMILE.writeValueAsBytes(old));

        assertThat(read.restarts()).isZero();
        assertThat(read.policy().maxRestarts()).isNull();
        assertThat(read.effectivePolicy().effectiveMaxRestarts()).isEqualTo(Policy.DEFAULT_MAX_RESTARTS);
        assertThat(read.attempt()).isEqualTo(state.attempt());
    }

    @Test
    void shouldRefuseBytesThatAreNeither() {
        byte[] garbage = {':', ')', '\n', 0x7f, 0x01, 0x02};

        assertThatThrownBy(() -> serde.deserializer().deserialize("store", garbage))
                .isInstanceOf(SerializationException.class).hasMessageContaining("JobState");
        assertThat(serde.deserializer().deserialize("store", null)).isNull();
    }
}
