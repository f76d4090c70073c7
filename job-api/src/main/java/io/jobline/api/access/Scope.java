package io.jobline.api.access;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What an API key allows. {@link #ADMIN} allows everything, on every owner's jobs. */
public enum Scope {

    /** Read one's jobs: status, listing, result, events, files, streams, stats. */
    JOBS_READ("jobs:read"),
    /** Submit, cancel, retry and delete one's jobs. */
    JOBS_WRITE("jobs:write"),
    /** The worker protocol: poll for jobs (of the key's types, if it names some) and report on their attempts. */
    WORKER("worker"),
    /** Everything, on every owner's jobs, and the service's own management (keys, job types, cleanup, metrics). */
    ADMIN("admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Scope fromWireName(String name) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(name)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("Unknown scope '" + name + "'; one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
    }
}
