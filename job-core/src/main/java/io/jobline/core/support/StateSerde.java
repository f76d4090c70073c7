package io.jobline.core.support;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * Serde for the values of internal state stores (never for topics others read: those are Avro). Writes Smile,
 * Jackson's binary JSON, without null fields: a store value is written on every event of a job, and JSON text was
 * a large share of the stream threads' CPU. Reads Smile, and the JSON text that earlier versions wrote, told apart
 * by Smile's header.
 */
public final class StateSerde<T> implements Serde<T> {

    static final ObjectMapper SMILE = Json.withInstantsAsMillis(SmileMapper.builder())
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final Class<T> type;
    private final ObjectWriter writer;
    private final ObjectReader smileReader;
    private final ObjectReader jsonReader;

    public StateSerde(Class<T> type) {
        this.type = type;
        this.writer = SMILE.writerFor(type);
        // A number a later version added to a record is absent from what earlier ones stored: it reads as 0.
        this.smileReader = SMILE.readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        this.jsonReader = Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Smile documents start with the header ":)\n". */
    static boolean isSmile(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == ':' && bytes[1] == ')' && bytes[2] == '\n';
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : writer.writeValueAsBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return (isSmile(bytes) ? smileReader : jsonReader).readValue(bytes);
            } catch (JacksonException e) {
                throw new SerializationException("Cannot read " + type.getSimpleName() + " from " + topic, e);
            }
        };
    }
}
