package io.jobline.processor.jobtype.csv;

import java.util.Map;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Statistics of one column, updated value by value in fixed memory: the values its distinct counter and its top values
 * keep cost at most half the column's share of {@link CsvLimits#maxKeptChars} each.
 */
final class ColumnStats {

    private final String name;
    private long nonEmpty;
    private boolean allIntegers = true;
    private boolean allNumbers = true;
    private boolean allBooleans = true;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private double compensation;
    private final DistinctCounter distinct;
    private final TopValues top;

    ColumnStats(String name, long keptChars) {
        this.name = name;
        this.distinct = new DistinctCounter(keptChars / 2);
        this.top = new TopValues(keptChars / 2);
    }

    void add(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return;
        }
        nonEmpty++;
        distinct.add(value);
        top.add(value);
        if (allBooleans && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            allBooleans = false;
        }
        if (allNumbers) {
            Double number = parseNumber(value);
            if (number == null) {
                allNumbers = false;
                allIntegers = false;
            } else {
                if (allIntegers && !isInteger(value)) {
                    allIntegers = false;
                }
                min = Math.min(min, number);
                max = Math.max(max, number);
                double y = number - compensation;
                double t = sum + y;
                compensation = (t - sum) - y;
                sum = t;
            }
        }
    }

    String type() {
        if (nonEmpty == 0) {
            return "empty";
        } else if (allIntegers) {
            return "integer";
        } else if (allNumbers) {
            return "number";
        } else if (allBooleans) {
            return "boolean";
        }
        return "string";
    }

    ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode()
                .put("name", name)
                .put("type", type())
                .put("non_empty", nonEmpty)
                .put("distinct", distinct.count())
                .put("distinct_is_estimate", !distinct.isExact());
        if (nonEmpty > 0 && allNumbers) {
            if (allIntegers) {
                node.put("min", (long) min).put("max", (long) max);
            } else {
                node.put("min", min).put("max", max);
            }
            node.put("mean", sum / nonEmpty);
        }
        var topValues = node.putArray("top_values");
        for (Map.Entry<String, Long> e : top.top(5)) {
            topValues.addObject().put("value", e.getKey()).put("count", e.getValue());
        }
        node.put("top_values_exact", top.isExact());
        return node;
    }

    private static boolean isInteger(String value) {
        int start = value.startsWith("-") || value.startsWith("+") ? 1 : 0;
        if (start == value.length() || value.length() - start > 18) {
            return false;
        }
        for (int i = start; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static Double parseNumber(String value) {
        char first = value.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return null;
        }
        try {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
