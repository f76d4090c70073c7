package io.jobline.processor.jobtype.csv;

/**
 * How large a CSV file csv-report accepts. The reader holds one record at a time, so these bound the memory of a
 * record: without them one line of commas made a column each, and a 250 KB upload took the service down.
 *
 * @param maxColumns     fields one record may have
 * @param maxRecordChars characters the fields of one record may hold together
 * @param maxFieldChars  characters one field may hold; at most {@code maxRecordChars}
 */
public record CsvLimits(int maxColumns, int maxRecordChars, int maxFieldChars) {

    public static final CsvLimits DEFAULTS = new CsvLimits(1_000, 1 << 20, 1 << 20);

    public CsvLimits {
        if (maxColumns < 1 || maxRecordChars < 1 || maxFieldChars < 1) {
            throw new IllegalArgumentException("CSV limits must be positive: " + maxColumns + " columns, "
                    + maxRecordChars + " record chars, " + maxFieldChars + " field chars");
        }
        if (maxFieldChars > maxRecordChars) {
            throw new IllegalArgumentException("The field limit (" + maxFieldChars
                    + " chars) cannot exceed the record limit (" + maxRecordChars + " chars)");
        }
    }
}
