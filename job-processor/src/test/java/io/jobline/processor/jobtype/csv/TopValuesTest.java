package io.jobline.processor.jobtype.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class TopValuesTest {

    private static final long ONE_MI = 1 << 20;

    @Test
    void shouldCountExactlyWhileEveryValueHasACounter() {
        TopValues top = new TopValues(ONE_MI);

        for (int i = 0; i < TopValues.CAPACITY; i++) {
            top.add("v" + i);
        }
        top.add("v7");
        top.add("v7");
        top.add("v3");

        assertThat(top.isExact()).isTrue();
        assertThat(top.top(2)).containsExactly(entry("v7", 3L), entry("v3", 2L));
    }

    @Test
    void shouldNotKeepAValueLongerThanTheLimitAndSayTheTopMayMissIt() {
        TopValues top = new TopValues(ONE_MI);
        String tooLong = "x".repeat(TopValues.MAX_VALUE_CHARS + 1);

        for (int i = 0; i < 10; i++) {
            top.add(tooLong);
        }
        top.add("short");

        assertThat(top.top(5)).containsExactly(entry("short", 1L));
        assertThat(top.keptChars()).isEqualTo(CsvLimits.keptChars("short"));
        assertThat(top.isExact()).isFalse();
    }

    @Test
    void shouldCountAValueOfExactlyTheLimit() {
        TopValues top = new TopValues(ONE_MI);
        String longest = "x".repeat(TopValues.MAX_VALUE_CHARS);

        top.add(longest);
        top.add(longest);

        assertThat(top.top(1)).containsExactly(entry(longest, 2L));
        assertThat(top.isExact()).isTrue();
    }

    @Test
    void shouldStayWithinItsCharactersAndStillKeepAFrequentValue() {
        String padding = "p".repeat(100);
        long budget = 5 * CsvLimits.keptChars(padding + 100);
        TopValues top = new TopValues(budget);

        for (int i = 0; i < 1_000; i++) {
            top.add(padding + i);
            top.add("frequent");
            assertThat(top.keptChars()).isLessThanOrEqualTo(budget);
        }

        assertThat(top.isExact()).isFalse();
        assertThat(top.top(1)).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("frequent");
            assertThat(e.getValue()).isBetween(1L, 1_000L);
        });
    }
}
