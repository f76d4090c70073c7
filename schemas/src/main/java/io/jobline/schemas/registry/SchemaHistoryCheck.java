package io.jobline.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

import io.jobline.schemas.topic.JobTopics;

/**
 * The build's schema gate (run by exec-maven-plugin after compile): every registered version of a subject must be
 * backward compatible with all earlier ones (a consumer with the new schema reads data written with any old one),
 * and the schema the code writes now must be the latest registered version.
 */
public final class SchemaHistoryCheck {

    private SchemaHistoryCheck() {
    }

    public static void main(String[] args) {
        List<String> problems = check(SchemaHistory.load(), JobTopics.valueSchemasBySubject());
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[schema-check] " + p));
            throw new IllegalStateException("Schema compatibility check failed: " + problems.size() + " problem(s)");
        }
        System.out.println("[schema-check] all subjects backward compatible with their history");
    }

    public static List<String> check(SchemaHistory history, Map<String, Schema> current) {
        List<String> problems = new ArrayList<>();
        for (String subject : history.subjects()) {
            List<RegisteredSchema> versions = history.versions(subject);
            for (int i = 1; i < versions.size(); i++) {
                for (int j = 0; j < i; j++) {
                    problems.addAll(incompatibilities(subject, versions.get(i), versions.get(j).schema(),
                            "v" + versions.get(j).version()));
                }
            }
        }
        current.forEach((subject, schema) -> {
            var latest = history.latest(subject);
            if (latest.isEmpty()) {
                problems.add(subject + ": not registered; add registry/" + subject + "/v1.avsc and an id in index.properties");
            } else if (!latest.get().schema().equals(schema)) {
                String next = "registry/" + subject + "/v" + (latest.get().version() + 1) + ".avsc";
                List<String> breaks = new ArrayList<>();
                for (RegisteredSchema old : history.versions(subject)) {
                    breaks.addAll(incompatibilities(subject, new RegisteredSchema(-1, subject, -1, schema),
                            old.schema(), "v" + old.version()));
                }
                problems.addAll(breaks);
                problems.add(subject + ": the schema in the code differs from the latest registered version v"
                        + latest.get().version() + (breaks.isEmpty() ? "; it is compatible: register it as " + next
                        : "; it is not backward compatible") + "\n" + schema.toString(true));
            }
        });
        return problems;
    }

    private static List<String> incompatibilities(String subject, RegisteredSchema reader, Schema writer, String writerName) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader.schema(), writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        String readerName = reader.version() < 0 ? "the current schema" : "v" + reader.version();
        return List.of(subject + ": " + readerName + " cannot read data written with " + writerName + ": "
                + result.getIncompatibilities());
    }
}
