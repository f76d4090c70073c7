package io.jobline.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.jobline.schemas.registry.SchemaRegistry;

/** Serde for record values in the Confluent Avro wire format. */
public final class ConfluentAvroSerde {

    private ConfluentAvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> forValues(SchemaRegistry registry, Schema schema) {
        return Serdes.serdeFrom(new ConfluentAvroSerializer<>(registry, schema, false),
                new ConfluentAvroDeserializer<>(registry, schema));
    }
}
