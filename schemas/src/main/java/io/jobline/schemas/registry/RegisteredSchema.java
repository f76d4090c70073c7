package io.jobline.schemas.registry;

import org.apache.avro.Schema;

/** One version of one subject, as a Schema Registry holds it. */
public record RegisteredSchema(int id, String subject, int version, Schema schema) {
}
