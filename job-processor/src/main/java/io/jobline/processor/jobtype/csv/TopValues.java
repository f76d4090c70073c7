package io.jobline.processor.jobtype.csv;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The most frequent values by Misra-Gries: at most {@value #CAPACITY} counters in fixed memory, amortised O(1) per
 * value. Counts are exact while a column has at most CAPACITY distinct values; beyond that they are lower bounds
 * and every value more frequent than 1/CAPACITY of the rows is kept.
 */
final class TopValues {

    static final int CAPACITY = 1_000;

    private final Map<String, long[]> counters = new HashMap<>();
    private boolean exact = true;

    void add(String value) {
        long[] counter = counters.get(value);
        if (counter != null) {
            counter[0]++;
        } else if (counters.size() < CAPACITY) {
            counters.put(value, new long[] {1});
        } else {
            exact = false;
            for (Iterator<long[]> it = counters.values().iterator(); it.hasNext(); ) {
                if (--it.next()[0] == 0) {
                    it.remove();
                }
            }
        }
    }

    boolean isExact() {
        return exact;
    }

    List<Map.Entry<String, Long>> top(int n) {
        return counters.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[0]).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(n)
                .map(e -> Map.entry(e.getKey(), e.getValue()[0]))
                .toList();
    }
}
