package io.jobline.processor.jobtype;

/** A stage failure that no retry can fix (bad data, a missing resource): the job fails at once. */
public class FatalJobException extends RuntimeException {

    public FatalJobException(String message) {
        super(message);
    }
}
