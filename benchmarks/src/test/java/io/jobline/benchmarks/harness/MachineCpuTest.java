package io.jobline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class MachineCpuTest {

    @Test
    void sharesAreOfTheTimeBetweenTwoReadings() {
        MachineCpu before = new MachineCpu(1_000, 10, 4_000);
        MachineCpu after = new MachineCpu(1_150, 40, 4_200);

        assertThat(after.busyPercentSince(before)).isCloseTo(75.0, within(1e-9));
        assertThat(after.stealPercentSince(before)).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void noTimeBetweenReadingsHasNoShare() {
        MachineCpu reading = new MachineCpu(1_000, 10, 4_000);

        assertThat(reading.busyPercentSince(reading)).isNaN();
        assertThat(reading.stealPercentSince(reading)).isNaN();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsTheCountersThatGrowWhileTheMachineRuns() {
        MachineCpu before = MachineCpu.now();
        long deadline = System.nanoTime() + 2_000_000_000L;
        MachineCpu after = before;
        // The kernel counts in ticks (10 ms): spin until it has counted some of this busy time, at most 2 s.
        while ((after.busy() <= before.busy() || after.total() <= before.total()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            after = MachineCpu.now();
        }

        assertThat(after.total()).isGreaterThan(before.total());
        assertThat(after.busy()).isGreaterThan(before.busy());
        assertThat(after.busyPercentSince(before)).isBetween(0.0, 100.0);
    }
}
