package io.jobline.processor.jobtype.csv;

import io.jobline.worker.FatalJobException;

/** The CSV file breaks the format; the message names the line. */
public class MalformedCsvException extends FatalJobException {
    public MalformedCsvException(long line, String problem) {
        super("Malformed CSV at line " + line + ": " + problem);
    }
}
