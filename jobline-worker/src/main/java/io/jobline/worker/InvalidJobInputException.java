package io.jobline.worker;

/** The input of a submitted job is not valid for its type; the message tells the caller what is wrong. */
public class InvalidJobInputException extends RuntimeException {
    public InvalidJobInputException(String message) {
        super(message);
    }
}
