package io.jobline.processor.jobtype.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: fields separated by a delimiter, optionally quoted with {@code "}, quotes doubled
 * inside quoted fields, records ending at CRLF or LF. Holds one record at a time, no larger than {@link CsvLimits}
 * allow, so memory stays flat.
 */
final class CsvReader {

    private final Reader in;
    private final char delimiter;
    private final CsvLimits limits;
    private int recordChars;
    private long line = 1;
    private long recordStartLine = 1;
    private int pushedBack = NONE;
    private static final int NONE = -2;

    CsvReader(Reader in, char delimiter, CsvLimits limits) {
        this.in = in;
        this.delimiter = delimiter;
        this.limits = limits;
    }

    /** The line the last record returned by {@link #next()} started on. */
    long recordLine() {
        return recordStartLine;
    }

    /** The next record, or null at the end of the input. */
    List<String> next() throws IOException {
        int c = read();
        while (c == '\r' || c == '\n') {
            skipLineEnd(c);
            c = read();
        }
        if (c == -1) {
            return null;
        }
        recordStartLine = line;
        recordChars = 0;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.isEmpty()) {
                c = readQuoted(field);
            } else {
                while (c != -1 && c != delimiter && c != '\r' && c != '\n') {
                    if (c == '"') {
                        throw new MalformedCsvException(line, "quote inside an unquoted field");
                    }
                    append(field, c);
                    c = read();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c == delimiter) {
                if (fields.size() == limits.maxColumns()) {
                    throw new CsvLimitException("column", recordStartLine,
                            "a record has more than " + limits.maxColumns() + " columns");
                }
                c = read();
                continue;
            }
            if (c == '\r' || c == '\n') {
                skipLineEnd(c);
            }
            return fields;
        }
    }

    /** Reads a quoted field whose opening quote was just read; returns the character after the closing quote. */
    private int readQuoted(StringBuilder field) throws IOException {
        long openedOn = line;
        while (true) {
            int c = read();
            if (c == -1) {
                throw new MalformedCsvException(openedOn, "quoted field is never closed");
            }
            if (c == '"') {
                int after = read();
                if (after == '"') {
                    append(field, '"');
                    continue;
                }
                if (after != -1 && after != delimiter && after != '\r' && after != '\n') {
                    throw new MalformedCsvException(line, "unexpected character '" + (char) after + "' after a closing quote");
                }
                return after;
            }
            if (c == '\n') {
                line++;
            }
            append(field, c);
        }
    }

    /** Consumes the rest of a line ending that started with {@code c} (CR, LF or CRLF). */
    private void skipLineEnd(int c) throws IOException {
        if (c == '\r') {
            int next = read();
            if (next != '\n') {
                pushedBack = next;
            }
        }
        line++;
    }

    private void append(StringBuilder field, int c) {
        if (field.length() == limits.maxFieldChars()) {
            throw new CsvLimitException("field", line,
                    "a field has more than " + limits.maxFieldChars() + " characters");
        }
        if (recordChars == limits.maxRecordChars()) {
            throw new CsvLimitException("record", recordStartLine,
                    "a record has more than " + limits.maxRecordChars() + " characters");
        }
        recordChars++;
        field.append((char) c);
    }

    private int read() throws IOException {
        if (pushedBack != NONE) {
            int c = pushedBack;
            pushedBack = NONE;
            return c;
        }
        return in.read();
    }
}
