package io.jobline.processor.jobtype.csv;

/** The CSV file breaks the format; the message names the line. */
public class MalformedCsvException extends RuntimeException {
    public MalformedCsvException(long line, String problem) {
        super("Malformed CSV at line " + line + ": " + problem);
    }
}
