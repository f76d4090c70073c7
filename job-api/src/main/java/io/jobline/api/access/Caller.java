package io.jobline.api.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who makes a request: the owner of the jobs it submits and may see, and what its key allows.
 *
 * @param types     for a worker key, the job types it may work on; empty: any
 * @param keyId     the id of the key it came with; null for the local admin of protected mode
 * @param expiresAt when that key expires; null: never
 */
public record Caller(String owner, Set<Scope> scopes, Set<String> types, String keyId, Instant expiresAt) {

    /** The owner of every request in protected mode: a client on this machine, with every scope. */
    public static final String LOCAL = "local";

    public Caller {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        types = Set.copyOf(types);
    }

    public static Caller localAdmin() {
        return new Caller(LOCAL, EnumSet.allOf(Scope.class), Set.of(), null, null);
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Whether the key allows what {@code scope} allows; an admin key allows everything. */
    public boolean has(Scope scope) {
        return isAdmin() || scopes.contains(scope);
    }

    /** Whether it may take and report on jobs of this type over the worker protocol. */
    public boolean mayWorkOn(String type) {
        return isAdmin() || (scopes.contains(Scope.WORKER) && (types.isEmpty() || types.contains(type)));
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
