package io.jobline.schemas.registry;

import org.apache.avro.Schema;

/** Where schema ids come from: the service's own embedded catalog, or a Confluent Schema Registry. */
public interface SchemaRegistry {

    /** The id under which {@code schema} is registered for {@code subject}; registers it where the registry allows. */
    int idFor(String subject, Schema schema);

    /** The schema registered under {@code id}; throws {@link UnknownSchemaException} if there is none. */
    Schema schemaById(int id);

    static SchemaRegistry forUrl(String url) {
        return forUrl(url, java.util.Map.of());
    }

    /** @param settings the remote registry client's settings (authentication, TLS), as Confluent's serializers name them */
    static SchemaRegistry forUrl(String url, java.util.Map<String, String> settings) {
        return url == null || url.isBlank()
                ? new EmbeddedSchemaRegistry(SchemaHistory.load())
                : new RemoteSchemaRegistry(url, settings);
    }
}
