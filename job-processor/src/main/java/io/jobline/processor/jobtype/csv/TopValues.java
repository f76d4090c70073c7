package io.jobline.processor.jobtype.csv;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The most frequent values by Misra-Gries: at most {@value #CAPACITY} counters, amortised O(1) per value, in fixed
 * memory: the counted values together cost at most the characters the counter may keep ({@link CsvLimits#keptChars}
 * each). A new value that finds no room, by count or by characters, takes one from every counter instead of a counter
 * of its own. So counts are exact while all of a column's values fit; beyond that they are lower bounds, and every
 * value more frequent than 1/(k+1) of the rows keeps its counter, k being the fewest counters the table held when it
 * was full (1,000 at a narrow file's full share).
 * <p>
 * Values longer than {@value #MAX_VALUE_CHARS} characters are not counted at all: they are rarely what a top-5 is for
 * (free text, blobs), and keeping one whole per counter would cost a thousand times more than a typical value.
 * Truncating them to a shared key was the alternative, but its count would merge different values and the report
 * would show a value that is not in the file. A column that had any is not {@link #isExact exact}, since one of them
 * might have been among the most frequent.
 */
final class TopValues {

    static final int CAPACITY = 1_000;
    static final int MAX_VALUE_CHARS = 1_000;

    private final long maxKeptChars;
    private final Map<String, long[]> counters = new HashMap<>();
    private long keptChars;
    private boolean exact = true;

    TopValues(long maxKeptChars) {
        this.maxKeptChars = maxKeptChars;
    }

    void add(String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            exact = false;
            return;
        }
        long[] counter = counters.get(value);
        long cost = CsvLimits.keptChars(value);
        if (counter != null) {
            counter[0]++;
        } else if (counters.size() < CAPACITY && keptChars + cost <= maxKeptChars) {
            counters.put(value, new long[] {1});
            keptChars += cost;
        } else {
            exact = false;
            for (Iterator<Map.Entry<String, long[]>> it = counters.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, long[]> entry = it.next();
                if (--entry.getValue()[0] == 0) {
                    keptChars -= CsvLimits.keptChars(entry.getKey());
                    it.remove();
                }
            }
        }
    }

    boolean isExact() {
        return exact;
    }

    /** What the counted values cost now; never more than the counter may keep. */
    long keptChars() {
        return keptChars;
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
