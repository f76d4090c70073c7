package io.jobline.schemas.registry;

public class UnknownSchemaException extends RuntimeException {
    public UnknownSchemaException(String message) {
        super(message);
    }
}
