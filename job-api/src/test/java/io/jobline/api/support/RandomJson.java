package io.jobline.api.support;

import java.util.List;
import java.util.Random;

/** Random JSON for fuzzing the API: mostly submit-shaped objects with wrong, odd or missing parts. */
public final class RandomJson {

    private static final List<String> KEYS = List.of("type", "input", "options", "stages", "stage_ms", "max_attempts",
            "timeout_ms", "delimiter", "header", "dedup_key", "fail_at_stage", "x", "", "\u00e9\u00e8", "__proto__");
    private static final List<String> STRINGS = List.of("demo", "csv-report", "", " ", "null", "\u0000", "\u2603",
            "../../etc/passwd", "<script>", "9".repeat(40), "\ud83d\ude00");

    private RandomJson() {
    }

    /** An object with some of type, input and options, each randomly right, wrong or absent. */
    public static String submitLike(Random random) {
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        for (String field : List.of("type", "input", "options")) {
            if (random.nextInt(4) == 0) {
                continue;
            }
            first = comma(json, first);
            json.append(quote(field)).append(':');
            json.append(field.equals("type") && random.nextBoolean() ? quote(pick(random, STRINGS)) : value(random, 3));
        }
        if (random.nextInt(6) == 0) {
            comma(json, first);
            json.append(quote(pick(random, KEYS))).append(':').append(value(random, 2));
        }
        return json.append('}').toString();
    }

    private static String value(Random random, int depth) {
        int kind = random.nextInt(depth <= 0 ? 6 : 8);
        switch (kind) {
            case 0:
                return "null";
            case 1:
                return Boolean.toString(random.nextBoolean());
            case 2:
                return Long.toString(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(200) - 50);
            case 3:
                return Double.toString(random.nextDouble() * 1e6 - 5e5);
            case 4:
                return random.nextBoolean() ? "1e400" : "-0.0";
            case 5:
                return quote(pick(random, STRINGS));
            case 6: {
                StringBuilder array = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.append(i == 0 ? "" : ",").append(value(random, depth - 1));
                }
                return array.append(']').toString();
            }
            default: {
                StringBuilder object = new StringBuilder("{");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    object.append(i == 0 ? "" : ",").append(quote(pick(random, KEYS))).append(':').append(value(random, depth - 1));
                }
                return object.append('}').toString();
            }
        }
    }

    private static boolean comma(StringBuilder json, boolean first) {
        if (!first) {
            json.append(',');
        }
        return false;
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
