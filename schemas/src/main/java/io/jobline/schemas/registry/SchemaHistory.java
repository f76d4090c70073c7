package io.jobline.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.avro.Schema;

/**
 * Every schema version the service has ever written, with its id: the files under {@code registry/} on the
 * classpath. {@code registry/index.properties} maps an id to {@code <subject>/v<version>.avsc}. Versions are
 * immutable once released; a change to a message is added as the next version (checked by
 * {@link SchemaHistoryCheck} at build time).
 */
public final class SchemaHistory {

    private static final String ROOT = "registry/";

    private final Map<Integer, RegisteredSchema> byId;
    private final Map<String, List<RegisteredSchema>> bySubject;

    SchemaHistory(List<RegisteredSchema> schemas) {
        this.byId = schemas.stream().collect(Collectors.toMap(RegisteredSchema::id, s -> s, (a, b) -> {
            throw new IllegalStateException("Duplicate schema id " + a.id());
        }, TreeMap::new));
        this.bySubject = schemas.stream()
                .sorted(Comparator.comparingInt(RegisteredSchema::version))
                .collect(Collectors.groupingBy(RegisteredSchema::subject, TreeMap::new, Collectors.toList()));
    }

    public static SchemaHistory load() {
        Properties index = new Properties();
        try (InputStream in = resource(ROOT + "index.properties")) {
            index.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<RegisteredSchema> schemas = new ArrayList<>();
        for (String idText : index.stringPropertyNames()) {
            String file = index.getProperty(idText).trim();
            int slash = file.indexOf('/');
            String subject = file.substring(0, slash);
            int version = Integer.parseInt(file.substring(slash + 2, file.length() - ".avsc".length()));
            schemas.add(new RegisteredSchema(Integer.parseInt(idText.trim()), subject, version, parse(ROOT + file)));
        }
        return new SchemaHistory(schemas);
    }

    public List<String> subjects() {
        return List.copyOf(bySubject.keySet());
    }

    public List<RegisteredSchema> versions(String subject) {
        return bySubject.getOrDefault(subject, List.of());
    }

    public Optional<RegisteredSchema> version(String subject, int version) {
        return versions(subject).stream().filter(s -> s.version() == version).findFirst();
    }

    public Optional<RegisteredSchema> latest(String subject) {
        List<RegisteredSchema> versions = versions(subject);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    public Optional<RegisteredSchema> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The version of {@code subject} whose canonical form equals {@code schema}'s. */
    public Optional<RegisteredSchema> find(String subject, Schema schema) {
        String canonical = schema.toString();
        return versions(subject).stream()
                .filter(s -> s.schema().equals(schema) || s.schema().toString().equals(canonical))
                .findFirst();
    }

    private static Schema parse(String path) {
        try (InputStream in = resource(path)) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("Missing classpath resource " + path);
        }
        return in;
    }
}
