package io.jobline.processor.jobtype.csv;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct values: exactly while there are at most {@value #EXACT_LIMIT} and they fit in the characters the
 * counter may keep ({@link CsvLimits#keptChars} each), then by HyperLogLog (2^12 registers, about 1.6% standard
 * error) in fixed memory. The 4 KiB of registers are allocated only when the exact set gives up (its values are then
 * replayed into them), so the many columns of a wide file that have few values cost only their small sets.
 */
final class DistinctCounter {

    static final int EXACT_LIMIT = 10_000;
    private static final int P = 12;
    private static final int M = 1 << P;

    private final long maxKeptChars;
    private Set<String> exact = new HashSet<>();
    private long keptChars;
    private byte[] registers;

    DistinctCounter(long maxKeptChars) {
        this.maxKeptChars = maxKeptChars;
    }

    void add(String value) {
        if (exact == null) {
            addToRegisters(value);
        } else if (exact.add(value)) {
            keptChars += CsvLimits.keptChars(value);
            if (exact.size() > EXACT_LIMIT || keptChars > maxKeptChars) {
                switchToEstimate();
            }
        }
    }

    boolean isExact() {
        return exact != null;
    }

    /** Whether the HyperLogLog registers exist yet; they should not while the count is exact. */
    boolean hasRegisters() {
        return registers != null;
    }

    long count() {
        if (exact != null) {
            return exact.size();
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / M);
        double estimate = alpha * M * M / sum;
        if (estimate <= 2.5 * M && zeros > 0) {
            estimate = M * Math.log((double) M / zeros);
        }
        return Math.round(estimate);
    }

    private void switchToEstimate() {
        registers = new byte[M];
        exact.forEach(this::addToRegisters);
        exact = null;
        keptChars = 0;
    }

    private void addToRegisters(String value) {
        long hash = hash64(value);
        int index = (int) (hash >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    /** 64-bit FNV-1a over UTF-8, finished with a murmur3-style mix so all bits avalanche. */
    private static long hash64(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
