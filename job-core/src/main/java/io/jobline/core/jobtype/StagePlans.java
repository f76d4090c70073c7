package io.jobline.core.jobtype;

import java.util.List;

/**
 * What a job's stage plan may hold, whoever writes it: a declared type's {@code stages}, or the worker of a type
 * with dynamic stages replacing the rest of its job's plan as it goes. The API checks it to answer the caller; the
 * decider checks the plan size again, being the one that applies it.
 */
public final class StagePlans {

    public static final int MAX_STAGES = 100;
    public static final int MAX_NAME_LENGTH = 100;

    private StagePlans() {
    }

    /** Why {@code names} cannot be stage names, or null when they can. */
    public static String invalidNames(List<String> names) {
        for (String name : names) {
            if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
                return "Each stage name must be 1 to " + MAX_NAME_LENGTH + " characters";
            }
        }
        return null;
    }

    /**
     * Why stage {@code stage} cannot complete with {@code nextStages} to run after it, or null when it can: the
     * plan would be {@code stage + nextStages.size()} stages long.
     */
    public static String invalidNext(int stage, List<String> nextStages) {
        if (stage + nextStages.size() > MAX_STAGES) {
            return "A plan has at most " + MAX_STAGES + " stages: stage " + stage + " and " + nextStages.size()
                    + " more would make " + (stage + nextStages.size());
        }
        return invalidNames(nextStages);
    }
}
