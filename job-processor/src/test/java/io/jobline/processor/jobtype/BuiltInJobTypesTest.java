package io.jobline.processor.jobtype;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobline.core.jobtype.JobTypes;
import io.jobline.processor.jobtype.csv.CsvLimits;
import io.jobline.processor.jobtype.csv.CsvReportJobType;

class BuiltInJobTypesTest {

    private final ClassLoader classPath = BuiltInJobTypesTest.class.getClassLoader();

    @Test
    void shouldFindTheBuiltInTypesOnTheClassPathInTheirListedOrder() {
        JobTypes types = JobTypes.discover(classPath, List.of());

        assertThat(types.names()).containsExactly("demo", "csv-report", "noop");
    }

    @Test
    void shouldPreferAConfiguredCsvReportToTheOneFoundOnTheClassPath() {
        CsvReportJobType configured = new CsvReportJobType(new CsvLimits(10, 100, 100, 1_000));

        JobTypes types = JobTypes.discover(classPath, List.of(configured));

        assertThat(types.find("csv-report")).containsSame(configured);
        assertThat(types.names()).containsExactly("demo", "csv-report", "noop");
    }
}
