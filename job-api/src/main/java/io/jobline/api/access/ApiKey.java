package io.jobline.api.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.jobline.schemas.access.ApiKeyCreated;
import io.jobline.schemas.access.ApiKeyEvent;

/**
 * An API key as stored: never the key itself, only its SHA-256.
 *
 * @param types     for a worker key, the job types it may work on; empty: any
 * @param expiresAt null: never
 * @param createdBy owner of the key that made it
 */
public record ApiKey(String id, String owner, Set<Scope> scopes, Set<String> types, Instant expiresAt,
                     Instant createdAt, String createdBy, String secretSha256) {

    static ApiKey of(ApiKeyEvent event, ApiKeyCreated created) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : created.getScopes()) {
            try {
                scopes.add(Scope.fromWireName(name));
            } catch (IllegalArgumentException e) {
                // a scope of a later version: this one grants nothing for it
            }
        }
        return new ApiKey(event.getKeyId(), created.getOwner(), Set.copyOf(scopes), Set.copyOf(created.getJobTypes()),
                created.getExpiresAt(), event.getTimestamp(), created.getCreatedBy(), created.getSecretSha256());
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public Caller caller() {
        return new Caller(owner, scopes, types, id, expiresAt);
    }
}
