package io.jobline.core.jobtype;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

import io.jobline.worker.JobType;

/** The job types this service runs, by name. */
public final class JobTypes {

    private final Map<String, JobType> byName = new LinkedHashMap<>();
    private final Map<String, InputSchema> schemas = new HashMap<>();

    /** Compiles each type's input schema once, here, so a type with an invalid schema fails at start. */
    public JobTypes(List<? extends JobType> types) {
        types.forEach(t -> {
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("Two job types named " + t.name());
            }
            schemas.put(t.name(), InputSchema.of(t.inputSchema()));
        });
    }

    /**
     * The job types {@code loader} lists as services ({@code META-INF/services/} followed by JobType's class name),
     * each made with its no-arg constructor, and {@code explicit} ones. An explicit type replaces a discovered one
     * of the same name, so a configured instance (csv-report with the service's limits, a Spring bean) wins.
     */
    public static JobTypes discover(ClassLoader loader, List<? extends JobType> explicit) {
        return discover(loader, List.of(), explicit);
    }

    /**
     * As {@link #discover(ClassLoader, List)}, looking also in the jars of {@code path} (jar files, or folders whose
     * jars all count), through a class loader over them whose parent is {@code parent}.
     */
    public static JobTypes discover(ClassLoader parent, List<Path> path, List<? extends JobType> explicit) {
        ClassLoader loader = JobTypesPath.classLoader(parent, path);
        Map<String, JobType> types = new LinkedHashMap<>();
        for (JobType type : ServiceLoader.load(JobType.class, loader)) {
            if (types.putIfAbsent(type.name(), type) != null) {
                throw new IllegalArgumentException("Two job types named " + type.name() + " found: "
                        + types.get(type.name()).getClass().getName() + " and " + type.getClass().getName());
            }
        }
        Set<String> given = new HashSet<>();
        for (JobType type : explicit) {
            if (!given.add(type.name())) {
                throw new IllegalArgumentException("Two job types named " + type.name());
            }
            types.put(type.name(), type);
        }
        return new JobTypes(List.copyOf(types.values()));
    }

    public Optional<JobType> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The input schema of the type of this name found here, compiled. */
    public InputSchema inputSchema(JobType type) {
        return schemas.get(type.name());
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
