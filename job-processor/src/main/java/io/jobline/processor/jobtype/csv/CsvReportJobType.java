package io.jobline.processor.jobtype.csv;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.jobline.core.jobtype.JsonInputs;
import io.jobline.core.support.Json;
import io.jobline.worker.InvalidJobInputException;
import io.jobline.worker.JobPolicy;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Profiles one uploaded CSV file: row count and, per column, inferred type, non-empty and distinct counts,
 * min/max/mean of numbers and the top 5 values. Input (optional): {@code {"delimiter": ",", "header": true}}.
 * Stage "analyze" streams the file once (progress follows the bytes read); stage "report" stores the report as
 * artifact {@code report.json} and returns it as the result. A file larger than its {@link CsvLimits} fails at once.
 */
public final class CsvReportJobType implements JobType {

    public static final String NAME = "csv-report";
    private static final Set<String> FIELDS = Set.of("delimiter", "header");
    private static final long PROGRESS_EVERY_BYTES = 1 << 20;

    private static final JsonNode SCHEMA = Json.resource(CsvReportJobType.class, "/jobtypes/csv-report.schema.json");

    private final CsvLimits limits;

    public CsvReportJobType() {
        this(CsvLimits.DEFAULTS);
    }

    public CsvReportJobType(CsvLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode inputSchema() {
        return SCHEMA;
    }

    @Override
    public List<String> plan(JsonNode input, List<StoredFile> files) {
        settings(input);
        if (files.size() != 1) {
            throw new InvalidJobInputException(NAME + " takes exactly one uploaded CSV file; got " + files.size());
        }
        return List.of("analyze", "report");
    }

    /** Three attempts: reading the file may fail for a passing reason; a malformed or too large file fails at once. */
    @Override
    public JobPolicy policy() {
        return JobType.super.policy().withMaxAttempts(3);
    }

    @Override
    public JsonNode runStage(StageContext context) throws IOException {
        return context.stage() == 1 ? analyze(context) : report(context);
    }

    private JsonNode analyze(StageContext context) throws IOException {
        Settings settings = settings(context.input());
        StoredFile file = context.files().get(0);
        long total = Math.max(1, file.size());
        try (CountingInputStream counted = new CountingInputStream(context.openFile(file));
             Reader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16)) {
            CsvReader csv = new CsvReader(reader, settings.delimiter(), limits);
            List<String> first = csv.next();
            if (first == null) {
                throw new MalformedCsvException(1, "the file is empty");
            }
            List<ColumnStats> columns = new ArrayList<>();
            long keptChars = limits.keptCharsPerColumn(first.size());
            for (int i = 0; i < first.size(); i++) {
                columns.add(new ColumnStats(settings.header() ? first.get(i).strip() : "column_" + (i + 1), keptChars));
            }
            long rows = 0;
            if (!settings.header()) {
                addRow(columns, first);
                rows++;
            }
            long nextReport = PROGRESS_EVERY_BYTES;
            for (List<String> row = csv.next(); row != null; row = csv.next()) {
                if (row.size() != columns.size()) {
                    throw new MalformedCsvException(csv.recordLine(),
                            "expected " + columns.size() + " fields but found " + row.size());
                }
                addRow(columns, row);
                rows++;
                if (counted.count >= nextReport) {
                    nextReport = counted.count + PROGRESS_EVERY_BYTES;
                    context.progress((double) counted.count / total, "Read " + (counted.count >> 20) + " of "
                            + (total >> 20) + " MiB, " + rows + " rows");
                }
            }
            ObjectNode stats = JsonNodeFactory.instance.objectNode().put("file", file.name()).put("rows", rows);
            columns.forEach(c -> stats.withArray("columns").add(c.toJson()));
            context.progress(1.0, "Read " + rows + " rows");
            return stats;
        }
    }

    private JsonNode report(StageContext context) throws IOException {
        byte[] json = Json.write(context.checkpoint()).getBytes(StandardCharsets.UTF_8);
        context.writeArtifact("report.json", "application/json", new ByteArrayInputStream(json));
        context.progress(1.0, "Report written");
        return context.checkpoint();
    }

    private static void addRow(List<ColumnStats> columns, List<String> row) {
        for (int i = 0; i < row.size(); i++) {
            columns.get(i).add(row.get(i));
        }
    }

    private record Settings(char delimiter, boolean header) {
    }

    private static Settings settings(JsonNode raw) {
        JsonNode input = JsonInputs.object(NAME, raw, FIELDS);
        char delimiter = ',';
        JsonNode d = input.get("delimiter");
        if (d != null && !d.isNull()) {
            if (!d.isString() || d.asString().length() != 1 || "\"\r\n".contains(d.asString())) {
                throw new InvalidJobInputException(NAME + " input 'delimiter' must be one character other than a quote or line break");
            }
            delimiter = d.asString().charAt(0);
        }
        JsonNode h = input.get("header");
        if (h != null && !h.isNull() && !h.isBoolean()) {
            throw new InvalidJobInputException(NAME + " input 'header' must be true or false");
        }
        return new Settings(delimiter, h == null || h.isNull() || h.booleanValue());
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
