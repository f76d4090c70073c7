package io.jobline.processor.jobtype.csv;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct values: exactly up to {@value #EXACT_LIMIT} values, then by HyperLogLog (2^12 registers, about
 * 1.6% standard error) in fixed memory.
 */
final class DistinctCounter {

    static final int EXACT_LIMIT = 10_000;
    private static final int P = 12;
    private static final int M = 1 << P;

    private Set<String> exact = new HashSet<>();
    private final byte[] registers = new byte[M];

    void add(String value) {
        long hash = hash64(value);
        int index = (int) (hash >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
        if (exact != null) {
            exact.add(value);
            if (exact.size() > EXACT_LIMIT) {
                exact = null;
            }
        }
    }

    boolean isExact() {
        return exact != null;
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
