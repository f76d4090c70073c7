package io.jobline.core.system;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of a standalone processor or projections process, from environment variables with the same names and
 * defaults as the all-in-one service's. Standalone processes need an existing cluster (KAFKA_BOOTSTRAP_SERVERS).
 */
public final class Environment {

    private Environment() {
    }

    public static String get(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static KafkaSettings kafkaSettings(DataDirectory data) {
        String bootstrap = get("KAFKA_BOOTSTRAP_SERVERS", null);
        if (bootstrap == null) {
            throw new IllegalStateException("Set KAFKA_BOOTSTRAP_SERVERS: a standalone process connects to an existing cluster");
        }
        return new KafkaSettings(bootstrap,
                Integer.parseInt(get("JOBLINE_PARTITIONS", "6")),
                Short.parseShort(get("JOBLINE_REPLICATION_FACTOR", "0")),
                Long.parseLong(get("JOBLINE_DECIDER_COMMIT_INTERVAL_MS", "30")),
                Long.parseLong(get("JOBLINE_PROJECTION_COMMIT_INTERVAL_MS", "100")),
                data.root().resolve("streams"),
                get("SCHEMA_REGISTRY_URL", null),
                data.instanceId(),
                Integer.parseInt(get("JOBLINE_SESSION_TIMEOUT_MS", "0")),
                get("JOBLINE_PROCESSING_GUARANTEE", "exactly_once_v2"));
    }

    /** Jars, or folders of jars, with more job types: comma-separated, as the service's jobline.job-types.path. */
    public static List<Path> jobTypesPath() {
        return Arrays.stream(get("JOBLINE_JOB_TYPES_PATH", "").split(",")).map(String::strip)
                .filter(entry -> !entry.isEmpty()).map(Path::of).toList();
    }

    public static DataDirectory dataDirectory() {
        return DataDirectory.open(Path.of(get("JOBLINE_DATA_DIR", "./data")));
    }
}
