package io.jobline.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import io.jobline.schemas.registry.SchemaRegistry;

/**
 * Reads the Confluent wire format into a specific record: the writer schema is looked up by the id in the header
 * and resolved against this reader's schema, so data written with any registered older version still reads.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final SchemaRegistry registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer(SchemaRegistry registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        TrustedClasses.trust(readerSchema);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_SIZE || data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("Not Confluent Avro wire format on topic " + topic
                    + ": expected magic byte 0 and a 4-byte schema id");
        }
        int writerId = ByteBuffer.wrap(data, 1, 4).getInt();
        try {
            SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(writerId, id ->
                    new SpecificDatumReader<>(registry.schemaById(id), readerSchema, SpecificData.getForSchema(readerSchema)));
            return reader.read(null, DecoderFactory.get().binaryDecoder(
                    data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + readerSchema.getFullName() + " written with schema id "
                    + writerId + " on topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
