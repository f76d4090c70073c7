package io.jobline.processor.jobtype;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.jobline.processor.jobtype.csv.CsvLimits;
import io.jobline.processor.jobtype.csv.CsvReportJobType;
import io.jobline.processor.jobtype.demo.DemoJobType;
import io.jobline.processor.jobtype.noop.NoopJobType;

/** The job types this service runs, by name. */
public final class JobTypes {

    private final Map<String, JobType> byName = new LinkedHashMap<>();

    public JobTypes(List<JobType> types) {
        types.forEach(t -> {
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("Two job types named " + t.name());
            }
        });
    }

    public static JobTypes builtIn() {
        return builtIn(CsvLimits.DEFAULTS);
    }

    /** The built-in types, csv-report reading files up to the given limits. */
    public static JobTypes builtIn(CsvLimits csvLimits) {
        return new JobTypes(List.of(new DemoJobType(), new CsvReportJobType(csvLimits), new NoopJobType()));
    }

    public Optional<JobType> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
