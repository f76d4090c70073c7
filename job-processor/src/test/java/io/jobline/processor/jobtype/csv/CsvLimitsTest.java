package io.jobline.processor.jobtype.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvLimitsTest {

    @Test
    void shouldGiveEachColumnOfANarrowFileThePerColumnMaximum() {
        assertThat(CsvLimits.DEFAULTS.keptCharsPerColumn(1)).isEqualTo(CsvLimits.MAX_KEPT_CHARS_PER_COLUMN);
        assertThat(CsvLimits.DEFAULTS.keptCharsPerColumn(8)).isEqualTo(CsvLimits.MAX_KEPT_CHARS_PER_COLUMN);
    }

    @Test
    void shouldShareTheKeptCharactersEquallyAmongTheColumnsOfAWideFile() {
        long perColumn = CsvLimits.DEFAULTS.keptCharsPerColumn(CsvLimits.DEFAULTS.maxColumns());

        assertThat(perColumn * CsvLimits.DEFAULTS.maxColumns()).isLessThanOrEqualTo(CsvLimits.DEFAULTS.maxKeptChars());
        assertThat(perColumn).isEqualTo((16L << 20) / 1_000);
    }

    @Test
    void shouldNotAllowAFieldLimitAboveTheRecordLimit() {
        assertThatThrownBy(() -> new CsvLimits(10, 100, 101, 1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot exceed the record limit");
    }

    @Test
    void shouldNotAllowALimitBelowOne() {
        assertThatThrownBy(() -> new CsvLimits(0, 100, 100, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
