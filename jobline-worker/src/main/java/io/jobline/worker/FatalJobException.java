package io.jobline.worker;

/** A stage failure that no retry can fix (bad data, a missing resource): the job fails at once. */
public class FatalJobException extends RuntimeException {

    public FatalJobException(String message) {
        super(message);
    }
}
