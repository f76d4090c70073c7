package io.jobline.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.worker.StoredFile;

class StateSerdeTest {

    /** A store value of the shapes the stores keep: enums, nested records, lists, instants, nulls, a counter. */
    record StoredJob(String jobId, JobStatus status, List<StoredFile> files, String checkpoint, Policy policy,
                     Instant updatedAt, int restarts) {
    }

    private final StateSerde<StoredJob> serde = new StateSerde<>(StoredJob.class);

    private static StoredJob runningJob() {
        return new StoredJob("job-1", JobStatus.RUNNING,
                List.of(new StoredFile("a.mp4", "files/job-1/video", 42, "video/mp4")), "{\"frame\": 10}",
                Policy.SINGLE_ATTEMPT.withMaxAttempts(3), Instant.ofEpochMilli(1_700_000_000_123L), 2);
    }

    @Test
    void shouldWriteSmileAndReadTheSameStateBack() {
        StoredJob state = runningJob();

        byte[] bytes = serde.serializer().serialize("store", state);

        assertThat(StateSerde.isSmile(bytes)).isTrue();
        assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(state);
    }

    @Test
    void shouldLeaveNullFieldsOutAndReadThemBackAsNull() {
        StoredJob empty = new StoredJob("job-2", null, List.of(), null, null, null, 0);

        byte[] bytes = serde.serializer().serialize("store", empty);

        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("checkpoint").contains("jobId");
        assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(empty);
    }

    record Counted(String type, long total) {
    }

    record CountedLater(String type, long total, long bytes) {
    }

    @Test
    void shouldReadANumberAddedToARecordLaterAsZeroFromStateWrittenBeforeIt() {
        byte[] old = new StateSerde<>(Counted.class).serializer().serialize("store", new Counted("demo", 3));

        assertThat(new StateSerde<>(CountedLater.class).deserializer().deserialize("store", old))
                .isEqualTo(new CountedLater("demo", 3, 0));
    }

    @Test
    void shouldReadTheJsonTextEarlierVersionsWrote() {
        StoredJob state = runningJob();
        byte[] json = Json.MAPPER.writeValueAsBytes(state);

        assertThat(StateSerde.isSmile(json)).isFalse();
        assertThat(serde.deserializer().deserialize("store", json)).isEqualTo(state);
    }

    @Test
    void shouldReadAPolicyStoredBeforeRestartsWereLimited() {
        tools.jackson.databind.node.ObjectNode old = StateSerde.SMILE.valueToTree(runningJob());
        ((tools.jackson.databind.node.ObjectNode) old.get("policy")).remove("maxRestarts");

        StoredJob read = serde.deserializer().deserialize("store", StateSerde.SMILE.writeValueAsBytes(old));

        assertThat(read.policy().maxRestarts()).isNull();
        assertThat(read.policy().effectiveMaxRestarts()).isEqualTo(Policy.DEFAULT_MAX_RESTARTS);
    }

    @Test
    void shouldRefuseBytesThatAreNeither() {
        byte[] garbage = {':', ')', '\n', 0x7f, 0x01, 0x02};

        assertThatThrownBy(() -> serde.deserializer().deserialize("store", garbage))
                .isInstanceOf(SerializationException.class).hasMessageContaining("StoredJob");
        assertThat(serde.deserializer().deserialize("store", null)).isNull();
    }
}
