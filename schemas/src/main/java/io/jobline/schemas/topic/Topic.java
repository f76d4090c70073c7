package io.jobline.schemas.topic;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** A topic with the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /**
     * The value serde for a state store that keeps this topic's values: bytes exactly as on this topic (same
     * subject, same schema id), whatever changelog topic the store writes them to.
     */
    public Serde<V> valueSerdeForStores() {
        Serializer<V> serializer = valueSerde.serializer();
        Deserializer<V> deserializer = valueSerde.deserializer();
        return Serdes.serdeFrom((topic, value) -> serializer.serialize(name, value),
                (topic, bytes) -> deserializer.deserialize(name, bytes));
    }
}
