package io.jobline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.registry.UnknownSchemaException;

class ConfluentAvroSerdeTest {

    private static final int EVENTS_ID = 2;

    /**
     * Worked out by hand from the Avro spec: strings are a zig-zag varint length then UTF-8, ints and longs are
     * zig-zag varints, a union is its branch index then the value.
     */
    private static final String CANCELLED_EVENT_HEX = "00" + "00000002" // magic byte, schema id 2 big-endian
            + "04" + "6531"       // event_id "e1"
            + "04" + "6a31"       // job_id "j1"
            + "d00f"              // timestamp 1000 ms
            + "02"                // attempt 1
            + "04"                // sequence 2
            + "0e"                // payload: union branch 7 (JobCancelled)
            + "00"                // reason: union branch 0 (null)
            + "00";               // by: union branch 0 (null)

    private final SchemaRegistry registry = new MapRegistry(Map.of(EVENTS_ID, JobEvent.getClassSchema()));
    private final Serde<JobEvent> serde = ConfluentAvroSerde.forValues(registry, JobEvent.getClassSchema());

    @Test
    void shouldWriteTheConfluentWireFormatByteForByte() {
        byte[] bytes = serde.serializer().serialize("job-events", cancelledEvent());

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(CANCELLED_EVENT_HEX);
    }

    @Test
    void shouldReadFixedBytesIntoTheEvent() {
        JobEvent event = serde.deserializer().deserialize("job-events", HexFormat.of().parseHex(CANCELLED_EVENT_HEX));

        assertThat(event).isEqualTo(cancelledEvent());
    }

    @Test
    void shouldReadBackARecordWithAnEnum() {
        Serde<io.jobline.schemas.worker.WorkerAnnounced> workers = ConfluentAvroSerde.forValues(
                new MapRegistry(Map.of(23, io.jobline.schemas.worker.WorkerAnnounced.getClassSchema())),
                io.jobline.schemas.worker.WorkerAnnounced.getClassSchema());
        Instant at = Instant.ofEpochMilli(1000);
        var announced = io.jobline.schemas.worker.WorkerAnnounced.newBuilder().setWorkerId("w1")
                .setKind(io.jobline.schemas.worker.WorkerKind.EXTERNAL).setInstance("i1").setTypes(java.util.List.of("video"))
                .setSlotsInUse(1).setJobs(java.util.List.of(new io.jobline.schemas.worker.HeldAttempt("j1", 2)))
                .setStartedAt(at).setLastSeenAt(at).setAnnouncedAt(at).setHeartbeatIntervalMs(5000).setLostAfterMs(60000).build();

        byte[] bytes = workers.serializer().serialize("workers", announced);

        assertThat(workers.deserializer().deserialize("workers", bytes)).isEqualTo(announced);
    }

    @Test
    void shouldRegisterUnderTheTopicValueSubject() {
        var subjects = new java.util.ArrayList<String>();
        SchemaRegistry recording = new MapRegistry(Map.of(7, JobEvent.getClassSchema())) {
            @Override
            public int idFor(String subject, Schema schema) {
                subjects.add(subject);
                return 7;
            }
        };
        byte[] bytes = ConfluentAvroSerde.<JobEvent>forValues(recording, JobEvent.getClassSchema())
                .serializer().serialize("job-events", cancelledEvent());

        assertThat(subjects).containsExactly("job-events-value");
        assertThat(HexFormat.of().formatHex(bytes, 0, 5)).isEqualTo("0000000007");
    }

    @Test
    void shouldRejectBytesWithoutTheMagicByte() {
        byte[] bytes = HexFormat.of().parseHex("01" + CANCELLED_EVENT_HEX.substring(2));

        assertThatThrownBy(() -> serde.deserializer().deserialize("job-events", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = HexFormat.of().parseHex("0000000063" + CANCELLED_EVENT_HEX.substring(10));

        assertThatThrownBy(() -> serde.deserializer().deserialize("job-events", bytes))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(UnknownSchemaException.class);
    }

    @Test
    void shouldReadDataWrittenWithAnOlderSchemaVersion() throws Exception {
        Schema older = olderSchemaWithoutStartCheckpoint();
        SchemaRegistry withHistory = new MapRegistry(Map.of(1, older, EVENTS_ID, JobEvent.getClassSchema()));
        GenericRecord started = new GenericData.Record(older.getField("payload").schema().getTypes().get(1));
        started.put("worker_id", "w-1");
        GenericRecord event = new GenericData.Record(older);
        event.put("event_id", "e9");
        event.put("job_id", "j9");
        event.put("timestamp", 5L);
        event.put("attempt", 1);
        event.put("sequence", 2L);
        event.put("payload", started);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(HexFormat.of().parseHex("0000000001"));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(event, encoder);
        encoder.flush();

        JobEvent read = ConfluentAvroSerde.<JobEvent>forValues(withHistory, JobEvent.getClassSchema())
                .deserializer().deserialize("job-events", out.toByteArray());

        assertThat(read.getPayload()).isInstanceOf(JobStarted.class);
        JobStarted payload = (JobStarted) read.getPayload();
        assertThat(payload.getWorkerId()).isEqualTo("w-1");
        assertThat(payload.getFirstStage()).isEqualTo(1);
        assertThat(payload.getCheckpoint()).isNull();
    }

    private static JobEvent cancelledEvent() {
        return JobEvent.newBuilder()
                .setEventId("e1")
                .setJobId("j1")
                .setTimestamp(Instant.ofEpochMilli(1000))
                .setAttempt(1)
                .setSequence(2)
                .setPayload(new JobCancelled(null, null))
                .build();
    }

    /** JobEvent as it would have been before JobStarted had first_stage and checkpoint. */
    private static Schema olderSchemaWithoutStartCheckpoint() {
        String json = JobEvent.getClassSchema().toString()
                .replace(",{\"name\":\"first_stage\",\"type\":\"int\",\"doc\":\"1-based stage this attempt starts at.\",\"default\":1}", "")
                .replace(",{\"name\":\"checkpoint\",\"type\":[\"null\",{\"type\":\"string\",\"avro.java.string\":\"String\"}],\"doc\":\"Checkpoint it resumes from.\",\"default\":null}", "");
        Schema older = new Schema.Parser().parse(json);
        assertThat(older.getField("payload").schema().getTypes().get(1).getFields()).hasSize(1);
        return older;
    }

    private static class MapRegistry implements SchemaRegistry {
        private final Map<Integer, Schema> schemas;

        MapRegistry(Map<Integer, Schema> schemas) {
            this.schemas = schemas;
        }

        @Override
        public int idFor(String subject, Schema schema) {
            return schemas.entrySet().stream().filter(e -> e.getValue().equals(schema)).findFirst()
                    .orElseThrow().getKey();
        }

        @Override
        public Schema schemaById(int id) {
            Schema schema = schemas.get(id);
            if (schema == null) {
                throw new UnknownSchemaException("No schema with id " + id);
            }
            return schema;
        }
    }
}
