package io.jobline.processor.jobtype.csv;

import io.jobline.worker.FatalJobException;

/** The CSV file is larger than a {@link CsvLimits} allows; fatal, as the same file fails the same way again. */
public class CsvLimitException extends FatalJobException {
    public CsvLimitException(String limit, long line, String problem) {
        super("CSV over the " + limit + " limit at line " + line + ": " + problem);
    }
}
