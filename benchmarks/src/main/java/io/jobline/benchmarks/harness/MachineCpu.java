package io.jobline.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The whole machine's CPU counters ({@code /proc/stat}'s first line), so a run's figure can be read beside how busy
 * the two cores were and how much of their time the hypervisor gave to someone else (steal). Not Linux: no counters,
 * and every share is NaN.
 */
record MachineCpu(long busy, long steal, long total) {

    private static final Path STAT = Path.of("/proc/stat");

    static MachineCpu now() {
        try {
            // cpu user nice system idle iowait irq softirq steal ...
            long[] t = Arrays.stream(Files.readAllLines(STAT).get(0).trim().split("\\s+")).skip(1).limit(8)
                    .mapToLong(Long::parseLong).toArray();
            long total = Arrays.stream(t).sum();
            return new MachineCpu(total - t[3] - t[4], t[7], total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0, 0);
        }
    }

    /** Percent of the machine's time since {@code before} spent busy (steal included). */
    double busyPercentSince(MachineCpu before) {
        return share(busy - before.busy, before);
    }

    /** Percent of the machine's time since {@code before} stolen by the hypervisor. */
    double stealPercentSince(MachineCpu before) {
        return share(steal - before.steal, before);
    }

    private double share(long part, MachineCpu before) {
        long elapsed = total - before.total;
        return elapsed <= 0 ? Double.NaN : 100.0 * part / elapsed;
    }
}
