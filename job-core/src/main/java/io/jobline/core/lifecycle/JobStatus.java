package io.jobline.core.lifecycle;

import java.util.Locale;

/** Where a job is in its lifecycle. Which status may follow which is {@link JobTransitions}' table. */
public enum JobStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    DELETED;

    public boolean isActive() {
        return this == PENDING || this == RUNNING;
    }

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The lower-case name used in JSON and query parameters. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWireName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
