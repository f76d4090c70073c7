package io.jobline.core.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper shared by job inputs, checkpoints, results and state stores. Instants are written as epoch
 * milliseconds: formatting ISO text was a visible share of the projection's CPU (it reads both forms).
 */
public final class Json {

    public static final ObjectMapper MAPPER = withInstantsAsMillis(JsonMapper.builder()).build();

    /** Instants as epoch milliseconds, read and written: the settings every mapper of ours shares (JSON, Smile). */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B withInstantsAsMillis(B builder) {
        return builder.enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .disable(DateTimeFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS);
    }

    private Json() {
    }

    public static JsonNode parse(String json) {
        return json == null ? MAPPER.nullNode() : MAPPER.readTree(json);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A JSON document on {@code owner}'s class path, e.g. {@code /jobtypes/demo.schema.json}. */
    public static JsonNode resource(Class<?> owner, String path) {
        try (InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No JSON document at " + path);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
