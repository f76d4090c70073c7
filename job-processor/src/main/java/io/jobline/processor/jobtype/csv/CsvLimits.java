package io.jobline.processor.jobtype.csv;

/**
 * How large a CSV file csv-report accepts, and how much of it the statistics may keep. Without these one line of
 * commas made a column each, every column allocated its statistics up front, and a 250 KB upload took the service
 * down; with them, one job holds one record and a fixed amount of statistics, whatever the file.
 *
 * @param maxColumns     fields one record may have
 * @param maxRecordChars characters the fields of one record may hold together
 * @param maxFieldChars  characters one field may hold; at most {@code maxRecordChars}
 * @param maxKeptChars   characters of values the statistics of all columns may keep together (exact distinct sets,
 *                       top-value counters), each value counted as {@link #keptChars}; shared equally by the
 *                       columns, at most {@value #MAX_KEPT_CHARS_PER_COLUMN} a column
 */
public record CsvLimits(int maxColumns, int maxRecordChars, int maxFieldChars, long maxKeptChars) {

    public static final CsvLimits DEFAULTS = new CsvLimits(1_000, 1 << 20, 1 << 20, 16L << 20);

    /** 1 Mi for the exact distinct set and 1 Mi for the top values: a narrow file needs no more to be exact. */
    static final int MAX_KEPT_CHARS_PER_COLUMN = 2 << 20;

    /**
     * What a value kept in a hash set or map costs besides its characters: the entry, the String and its array
     * header come to about 80 bytes, counted here as two-byte characters.
     */
    private static final int ENTRY_OVERHEAD_CHARS = 40;

    public CsvLimits {
        if (maxColumns < 1 || maxRecordChars < 1 || maxFieldChars < 1 || maxKeptChars < 1) {
            throw new IllegalArgumentException("CSV limits must be positive: " + maxColumns + " columns, "
                    + maxRecordChars + " record chars, " + maxFieldChars + " field chars, "
                    + maxKeptChars + " kept chars");
        }
        if (maxFieldChars > maxRecordChars) {
            throw new IllegalArgumentException("The field limit (" + maxFieldChars
                    + " chars) cannot exceed the record limit (" + maxRecordChars + " chars)");
        }
    }

    /** The characters the statistics of each column may keep when the file has this many columns. */
    long keptCharsPerColumn(int columns) {
        return Math.min(MAX_KEPT_CHARS_PER_COLUMN, maxKeptChars / columns);
    }

    /** What keeping this value costs against {@link #maxKeptChars}. */
    static long keptChars(String value) {
        return value.length() + ENTRY_OVERHEAD_CHARS;
    }
}
