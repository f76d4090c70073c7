package io.jobline.api.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** The metric names a Grafana dashboard's PromQL reads: in every panel's expressions and every variable's query. */
public final class DashboardQueries {

    /** Names of the families the dashboard may read; anything else in an expression is a function, label or keyword. */
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:jobline|kafka|http_server|jvm|process|system|tomcat|executor)_[a-zA-Z0-9_]+)");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    private DashboardQueries() {
    }

    public static Set<String> metricNames(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        queries(dashboard, query -> {
            // Label names and values sit in matchers, grouping clauses and quotes: only what is left names metrics.
            String outside = GROUPING.matcher(MATCHERS.matcher(QUOTED.matcher(query).replaceAll("\"\"")).replaceAll("{}"))
                    .replaceAll("");
            Matcher m = METRIC.matcher(outside);
            while (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    private static void queries(JsonNode node, Consumer<String> each) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (Set.of("expr", "query", "definition").contains(e.getKey()) && e.getValue().isString()) {
                    each.accept(e.getValue().asString());
                } else {
                    queries(e.getValue(), each);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> queries(child, each));
        }
    }
}
