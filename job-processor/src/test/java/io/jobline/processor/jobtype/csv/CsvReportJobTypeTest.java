package io.jobline.processor.jobtype.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.files.FileStore;
import io.jobline.core.files.LocalFileStore;
import io.jobline.core.support.Json;
import io.jobline.processor.testing.FakeStageContext;
import io.jobline.worker.InvalidJobInputException;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

class CsvReportJobTypeTest {

    @TempDir
    Path dir;

    private final CsvReportJobType csv = new CsvReportJobType();

    @Test
    void shouldProfileEveryColumn() throws Exception {
        JsonNode report = analyze("""
                id,price,city,active,note
                1,9.5,Paris,true,
                2,10.5,Oslo,false,x
                3,11,Paris,TRUE,
                4,-1,"Rome, IT",false,
                """);

        assertThat(report.get("rows").asLong()).isEqualTo(4);
        JsonNode id = column(report, "id");
        assertThat(id.get("type").asString()).isEqualTo("integer");
        assertThat(id.get("min").asLong()).isEqualTo(1);
        assertThat(id.get("max").asLong()).isEqualTo(4);
        assertThat(id.get("mean").asDouble()).isEqualTo(2.5);
        JsonNode price = column(report, "price");
        assertThat(price.get("type").asString()).isEqualTo("number");
        assertThat(price.get("min").asDouble()).isEqualTo(-1.0);
        assertThat(price.get("mean").asDouble()).isEqualTo(7.5);
        JsonNode city = column(report, "city");
        assertThat(city.get("type").asString()).isEqualTo("string");
        assertThat(city.get("distinct").asLong()).isEqualTo(3);
        assertThat(city.get("distinct_is_estimate").asBoolean()).isFalse();
        assertThat(city.get("top_values").get(0).get("value").asString()).isEqualTo("Paris");
        assertThat(city.get("top_values").get(0).get("count").asLong()).isEqualTo(2);
        assertThat(city.has("mean")).isFalse();
        assertThat(column(report, "active").get("type").asString()).isEqualTo("boolean");
        assertThat(column(report, "note").get("non_empty").asLong()).isEqualTo(1);
    }

    @Test
    void shouldReadQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws Exception {
        JsonNode report = analyze("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",2\r\n");

        assertThat(report.get("rows").asLong()).isEqualTo(2);
        assertThat(column(report, "a").get("top_values").findValuesAsString("value")).containsExactlyInAnyOrder("x,1", "multi\nline");
        assertThat(column(report, "b").get("top_values").findValuesAsString("value")).contains("say \"hi\"");
    }

    @Test
    void shouldNameTheLineOfARowWithTooManyFields() {
        assertThatThrownBy(() -> analyze("a,b\n1,2\n\"two\nlines\",3\n4,5,6\n"))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("expected 2 fields but found 3");
    }

    @Test
    void shouldNameTheLineOfAnUnclosedQuote() {
        assertThatThrownBy(() -> analyze("a,b\n1,2\n3,\"open\n4,5\n"))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("never closed");
    }

    @Test
    void shouldRejectAnEmptyFile() {
        assertThatThrownBy(() -> analyze("")).hasMessageContaining("empty");
    }

    @Test
    void shouldReportProgressUpToTheWholeFile() throws Exception {
        StringBuilder big = new StringBuilder("n,text\n");
        for (int i = 0; i < 60_000; i++) {
            big.append(i).append(",row number ").append(i).append('\n');
        }
        FakeStageContext context = contextFor(big.toString(), "{}");

        JsonNode report = csv.runStage(context);

        assertThat(report.get("rows").asLong()).isEqualTo(60_000);
        assertThat(context.progress).isSorted().last().isEqualTo(1.0);
        assertThat(context.progress.size()).isGreaterThan(1);
        assertThat(column(report, "n").get("distinct").asLong()).isBetween(57_000L, 63_000L);
        assertThat(column(report, "n").get("distinct_is_estimate").asBoolean()).isTrue();
    }

    @Test
    void shouldUseTheConfiguredDelimiterAndGenerateNamesWithoutHeader() throws Exception {
        JsonNode report = csv.runStage(contextFor("1;2\n3;4\n", "{\"delimiter\": \";\", \"header\": false}"));

        assertThat(report.get("rows").asLong()).isEqualTo(2);
        assertThat(column(report, "column_2").get("max").asLong()).isEqualTo(4);
    }

    @Test
    void shouldWriteTheReportAsAnArtifactInTheSecondStage() throws Exception {
        FileStore store = new LocalFileStore(dir);
        JsonNode stats = Json.parse("{\"rows\": 1, \"columns\": []}");
        FakeStageContext context = new FakeStageContext(store, "{}", List.of(), 2, 2, stats);

        JsonNode result = csv.runStage(context);

        assertThat(result).isEqualTo(stats);
        assertThat(context.artifacts).singleElement().extracting(StoredFile::name).isEqualTo("report.json");
        assertThat(Json.MAPPER.readTree(store.path(context.artifacts.get(0)).toFile())).isEqualTo(stats);
    }

    @Test
    void shouldRequireExactlyOneFile() {
        assertThatThrownBy(() -> csv.plan(Json.parse("{}"), List.of()))
                .isInstanceOf(InvalidJobInputException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> csv.plan(Json.parse("{\"delimiter\": \"ab\"}"), List.of()))
                .isInstanceOf(InvalidJobInputException.class).hasMessageContaining("delimiter");
    }

    @Test
    void shouldProfileAFileWithExactlyTheDefaultColumnLimit() throws Exception {
        int columns = CsvLimits.DEFAULTS.maxColumns();

        JsonNode report = analyze(row(columns, "c") + "\n" + row(columns, "") + "\n");

        assertThat(report.get("rows").asLong()).isEqualTo(1);
        assertThat(report.get("columns")).hasSize(columns);
    }

    @Test
    void shouldFailAtOnceWithoutRetryWhenTheHeaderHasOneColumnMoreThanTheLimit() {
        int columns = CsvLimits.DEFAULTS.maxColumns() + 1;

        Throwable failure = catchThrowable(() -> analyze(row(columns, "c") + "\n" + row(columns, "") + "\n"));

        assertThat(failure).isInstanceOf(CsvLimitException.class)
                .hasMessage("CSV over the column limit at line 1: a record has more than 1000 columns");
        assertThat(csv.isRetryable(failure)).isFalse();
    }

    @Test
    void shouldFailALineOfCommasByTheColumnLimit() {
        assertThatThrownBy(() -> analyze(",".repeat(250_000) + "\n"))
                .isInstanceOf(CsvLimitException.class).hasMessageContaining("column limit at line 1");
    }

    @Test
    void shouldNameTheStartLineOfARecordLongerThanTheRecordLimit() {
        CsvReportJobType limited = new CsvReportJobType(new CsvLimits(10, 20, 10, 1_000));
        String fits = "aaaaaaaaaa,bbbbbbbbbb,\n";
        String tooLong = "\"aaaa\naaaa\",bbbbbbbbbb,cc\n";

        Throwable failure = catchThrowable(() -> limited.runStage(contextFor("a,b,c\n" + fits + tooLong, "{}")));

        assertThat(failure).isInstanceOf(CsvLimitException.class)
                .hasMessage("CSV over the record limit at line 3: a record has more than 20 characters");
        assertThat(limited.isRetryable(failure)).isFalse();
    }

    @Test
    void shouldNameTheLineOfAFieldLongerThanTheFieldLimit() {
        CsvReportJobType limited = new CsvReportJobType(new CsvLimits(10, 20, 10, 1_000));

        assertThatThrownBy(() -> limited.runStage(contextFor("a,b\n1,2\n3,bbbbbbbbbbb\n", "{}")))
                .isInstanceOf(CsvLimitException.class)
                .hasMessage("CSV over the field limit at line 3: a field has more than 10 characters");
    }

    @Test
    void shouldEstimateTheDistinctCountOfAColumnWhoseValuesPassItsShareOfTheKeptCharacters() throws Exception {
        CsvReportJobType limited = new CsvReportJobType(new CsvLimits(10, 1 << 20, 1 << 20, 4_000));
        StringBuilder content = new StringBuilder("id,constant\n");
        for (int i = 0; i < 100; i++) {
            content.append(i).append(",same\n");
        }

        JsonNode report = limited.runStage(contextFor(content.toString(), "{}"));

        assertThat(column(report, "id").get("distinct_is_estimate").asBoolean()).isTrue();
        assertThat(column(report, "id").get("distinct").asLong()).isBetween(95L, 105L);
        assertThat(column(report, "constant").get("distinct_is_estimate").asBoolean()).isFalse();
        assertThat(column(report, "constant").get("distinct").asLong()).isEqualTo(1);
    }

    @Test
    void shouldLeaveValuesLongerThanTheTopValueLimitOutOfTheTopValues() throws Exception {
        String tooLong = "x".repeat(TopValues.MAX_VALUE_CHARS + 1);

        JsonNode report = analyze("note\n" + tooLong + "\n" + tooLong + "\nshort\n");

        JsonNode note = column(report, "note");
        assertThat(note.get("top_values").findValuesAsString("value")).containsExactly("short");
        assertThat(note.get("top_values_exact").asBoolean()).isFalse();
        assertThat(note.get("distinct").asLong()).isEqualTo(2);
        assertThat(note.get("distinct_is_estimate").asBoolean()).isFalse();
    }

    private static String row(int columns, String prefix) {
        return IntStream.rangeClosed(1, columns).mapToObj(i -> prefix.isEmpty() ? "" : prefix + i)
                .collect(Collectors.joining(","));
    }

    private JsonNode analyze(String content) throws Exception {
        return csv.runStage(contextFor(content, "{}"));
    }

    private FakeStageContext contextFor(String content, String input) throws IOException {
        FileStore store = new LocalFileStore(dir);
        StoredFile file = store.save("job-1", FileStore.INPUTS, "data.csv", "text/csv",
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
        return new FakeStageContext(store, input, List.of(file), 1, 2, null);
    }

    private static JsonNode column(JsonNode report, String name) {
        for (JsonNode column : report.get("columns")) {
            if (column.get("name").asString().equals(name)) {
                return column;
            }
        }
        throw new AssertionError("no column " + name + " in " + report);
    }
}
