package io.jobline.api.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.jobline.schemas.access.ApiKeyCreated;
import io.jobline.schemas.access.ApiKeyEvent;
import io.jobline.schemas.access.KeyQuotas;

/**
 * An API key as stored: never the key itself, only its SHA-256.
 *
 * @param types     for a worker key, the job types it may work on; empty: any
 * @param expiresAt null: never
 * @param createdBy owner of the key that made it
 * @param quotas    the key's own limits, in place of its owner's; null: the owner's
 */
public record ApiKey(String id, String owner, Set<Scope> scopes, Set<String> types, Instant expiresAt,
                     Instant createdAt, String createdBy, String secretSha256, Quotas quotas) {

    /**
     * A key's own limits: each one null takes the owner's (its configured override, else the default); 0 is no limit.
     * Submits per second are counted for the key alone; active jobs and upload bytes are what its owner holds.
     */
    @io.swagger.v3.oas.annotations.media.Schema(name = "KeyQuotas", description = "A key's own limits, in place of its "
            + "owner's: each null is the owner's (its override, else the default); 0 is no limit.")
    public record Quotas(
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Integer submitsPerSecond,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Long activeJobs,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Long uploadBytes) {

        static Quotas of(KeyQuotas stored) {
            return stored == null ? null
                    : new Quotas(stored.getSubmitsPerSecond(), stored.getActiveJobs(), stored.getUploadBytes());
        }
    }

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
                created.getExpiresAt(), event.getTimestamp(), created.getCreatedBy(), created.getSecretSha256(),
                Quotas.of(created.getQuotas()));
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public Caller caller() {
        return new Caller(owner, scopes, types, id, expiresAt);
    }
}
