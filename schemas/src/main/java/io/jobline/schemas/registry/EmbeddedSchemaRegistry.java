package io.jobline.schemas.registry;

import org.apache.avro.Schema;

/** The registry used when no external Schema Registry is configured: ids come from the committed history. */
public final class EmbeddedSchemaRegistry implements SchemaRegistry {

    private final SchemaHistory history;

    public EmbeddedSchemaRegistry(SchemaHistory history) {
        this.history = history;
    }

    public SchemaHistory history() {
        return history;
    }

    @Override
    public int idFor(String subject, Schema schema) {
        return history.find(subject, schema)
                .orElseThrow(() -> new UnknownSchemaException("Schema of subject " + subject
                        + " is not in the registered history; add it under registry/" + subject + "/"))
                .id();
    }

    @Override
    public Schema schemaById(int id) {
        return history.byId(id)
                .orElseThrow(() -> new UnknownSchemaException("No schema with id " + id))
                .schema();
    }
}
