package io.jobline.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;

/** One reported number over several runs: the median, with min and max. */
final class Figure {

    final String name;
    final String unit;
    final List<Double> runs = new ArrayList<>();

    Figure(String name, String unit) {
        this.name = name;
        this.unit = unit;
    }

    Figure add(double value) {
        runs.add(value);
        return this;
    }

    double median() {
        List<Double> sorted = runs.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return runs.stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return runs.stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
