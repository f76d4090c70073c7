package io.jobline.api.access;

/**
 * The ownership rule: a caller sees and acts on its own jobs, an admin on every one. Another owner's job is answered
 * exactly as a job that does not exist (404, never 403), so that its id tells nothing.
 */
public final class JobAccess {

    private JobAccess() {
    }

    /** Whether {@code caller} may see (and, with the scope for it, act on) a job of {@code owner}. */
    public static boolean sees(Caller caller, String owner) {
        return caller.isAdmin() || caller.owner().equals(owner);
    }

    /**
     * Whether {@code caller} may download the files of a job: its owner, or a worker of the job's type (a task names
     * its input files by URL, and the worker that runs it downloads them).
     */
    public static boolean readsFilesOf(Caller caller, String owner, String type) {
        return sees(caller, owner) || caller.mayWorkOn(type);
    }

    /**
     * The owner a listing is filtered on: what an admin asks for (null: everyone), else the caller itself. A
     * non-admin asking for another owner gets null here and an empty listing.
     */
    public static ListingOwner listingOwner(Caller caller, String requested) {
        if (caller.isAdmin()) {
            return new ListingOwner(requested, true);
        }
        boolean own = requested == null || requested.equals(caller.owner());
        return new ListingOwner(caller.owner(), own);
    }

    /** @param matchesAny false when nothing can match: a non-admin asked for someone else's jobs */
    public record ListingOwner(String owner, boolean matchesAny) {
    }
}
