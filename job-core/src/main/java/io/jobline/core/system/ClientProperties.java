package io.jobline.core.system;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Client settings passed through as they are to every Kafka client of the process (producers, consumers, share
 * consumers, admin clients, Streams) and to the Schema Registry client: security (SASL_SSL, mTLS) for a cluster that
 * needs it. Read from a properties file, as Kafka's own tools take {@code --command-config client.properties}, and
 * from settings given inline, which win.
 *
 * <p>The Schema Registry's settings keep the names of Confluent's serializers ({@code basic.auth.user.info},
 * {@code bearer.auth.token}, {@code schema.registry.ssl.*}) and go to the registry client only.
 */
public record ClientProperties(Map<String, String> kafka, Map<String, String> registry) {

    public static final ClientProperties NONE = new ClientProperties(Map.of(), Map.of());

    public ClientProperties {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
    }

    /**
     * @param file    a properties file; null or blank: none
     * @param inline  settings by name; they override the file's
     */
    public static ClientProperties load(String file, Map<String, String> inline) {
        Map<String, String> all = new TreeMap<>();
        if (file != null && !file.isBlank()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the Kafka client settings in " + file + ": " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(name -> all.put(name, properties.getProperty(name).trim()));
        }
        if (inline != null) {
            all.putAll(inline);
        }
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> registry = new TreeMap<>();
        all.forEach((name, value) -> (isRegistrySetting(name) ? registry : kafka).put(name, value));
        kafka.remove("bootstrap.servers"); // KAFKA_BOOTSTRAP_SERVERS says where the cluster is
        return new ClientProperties(kafka, registry);
    }

    private static boolean isRegistrySetting(String name) {
        return name.startsWith("schema.registry.") || name.startsWith("basic.auth.") || name.startsWith("bearer.auth.");
    }

    /** The names only, for a log line: values may be secrets. */
    @Override
    public String toString() {
        return "ClientProperties[kafka=" + kafka.keySet() + ", registry=" + registry.keySet() + "]";
    }
}
