package io.jobline.processor.jobtype.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DistinctCounterTest {

    private static final long ONE_MI = 1 << 20;

    @Test
    void shouldCountExactlyWithoutRegistersUpToTheExactLimit() {
        DistinctCounter counter = new DistinctCounter(ONE_MI);

        for (int i = 0; i < DistinctCounter.EXACT_LIMIT; i++) {
            counter.add("v" + i);
            counter.add("v" + i);
        }

        assertThat(counter.isExact()).isTrue();
        assertThat(counter.count()).isEqualTo(DistinctCounter.EXACT_LIMIT);
        assertThat(counter.hasRegisters()).isFalse();
    }

    @Test
    void shouldSwitchToAFlaggedEstimateOneValuePastTheExactLimit() {
        DistinctCounter counter = new DistinctCounter(ONE_MI);

        for (int i = 0; i <= DistinctCounter.EXACT_LIMIT; i++) {
            counter.add("v" + i);
        }

        assertThat(counter.isExact()).isFalse();
        assertThat(counter.hasRegisters()).isTrue();
        assertThat(counter.count()).isCloseTo(DistinctCounter.EXACT_LIMIT + 1, within(500L));
    }

    @Test
    void shouldKeepEstimatingValuesAddedAfterTheSwitch() {
        DistinctCounter counter = new DistinctCounter(ONE_MI);

        for (int i = 0; i < 50_000; i++) {
            counter.add("v" + i);
        }

        assertThat(counter.isExact()).isFalse();
        assertThat(counter.count()).isCloseTo(50_000, within(2_500L));
    }

    @Test
    void shouldSwitchToAnEstimateWhenTheKeptCharactersPassTheBudget() {
        String hundredChars = "x".repeat(100);
        DistinctCounter counter = new DistinctCounter(10 * CsvLimits.keptChars(hundredChars + 0));

        for (int i = 0; i < 10; i++) {
            counter.add(hundredChars + i);
        }
        assertThat(counter.isExact()).isTrue();
        assertThat(counter.count()).isEqualTo(10);

        counter.add(hundredChars + 10);

        assertThat(counter.isExact()).isFalse();
        assertThat(counter.count()).isCloseTo(11, within(1L));
    }

    @Test
    void shouldNotChargeTheBudgetAgainForARepeatedValue() {
        String longValue = "x".repeat(1_000);
        DistinctCounter counter = new DistinctCounter(2 * CsvLimits.keptChars(longValue));

        for (int i = 0; i < 1_000; i++) {
            counter.add(longValue);
        }

        assertThat(counter.isExact()).isTrue();
        assertThat(counter.count()).isEqualTo(1);
    }

    @Test
    void shouldNotKeepAValueLargerThanTheWholeBudget() {
        DistinctCounter counter = new DistinctCounter(ONE_MI);

        counter.add("x".repeat((int) ONE_MI));

        assertThat(counter.isExact()).isFalse();
        assertThat(counter.count()).isEqualTo(1);
    }
}
