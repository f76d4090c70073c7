package io.jobline.api.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.access.ApiKeyCreated;
import io.jobline.schemas.access.ApiKeyEvent;
import io.jobline.schemas.access.ApiKeyRevoked;
import io.jobline.schemas.topic.JobTopics;

/**
 * Makes, lists and revokes API keys: appends the change to api-keys and answers once this instance has folded it,
 * so the next request here already sees it (other instances within their fold's lag, milliseconds).
 */
@Component
public class ApiKeys implements AutoCloseable {

    static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    /** A job type's name, as declared types have them. */
    static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_TYPES = 100;

    private final ApiKeyCatalog catalog;
    private final Clock clock = Clock.systemUTC();

    public ApiKeys(KafkaSettings kafka, JobTopics topics) {
        this.catalog = new ApiKeyCatalog(kafka.clientConfig(), topics.apiKeys());
    }

    /** A POST's body. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "NewApiKey")
    public record NewKeyRequest(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED,
                    pattern = "^[A-Za-z0-9._@-]{1,128}$") String owner,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED)
            @io.swagger.v3.oas.annotations.media.ArraySchema(minItems = 1, schema = @io.swagger.v3.oas.annotations.media.Schema(
                    allowableValues = {"jobs:read", "jobs:write", "worker", "admin"})) List<String> scopes,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, description = "In the future; absent: never") Instant expiresAt,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, description = "A worker key's job types") List<String> types,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, description = "The key's own limits, in place "
                    + "of its owner's; absent: the owner's") NewQuotas quotas) {
    }

    /** A POST's quotas: each one left out is the owner's. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "NewKeyQuotas", description = "The key's own limits, in place "
            + "of its owner's: each absent or null takes the owner's (its override, else the default); 0 is no limit. "
            + "submits_per_second counts this key's submits alone; active_jobs and upload_bytes are compared with what "
            + "all of the owner's jobs hold.")
    public record NewQuotas(
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, minimum = "0") Integer submitsPerSecond,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, minimum = "0") Long activeJobs,
            @io.swagger.v3.oas.annotations.media.Schema(nullable = true, minimum = "0", description = "Bytes") Long uploadBytes) {
    }

    /** A key just made: the key itself is in {@code token}, here and nowhere else. */
    public record Created(ApiKey key, String token) {
    }

    public Created create(NewKeyRequest request, Caller by) {
        requireCaughtUp();
        if (request == null) {
            throw ApiException.badRequest("The body must be a JSON object like {\"owner\": \"alice\", \"scopes\": [\"jobs:read\"]}");
        }
        String owner = request.owner();
        if (owner == null || !OWNER.matcher(owner).matches()) {
            throw ApiException.badRequest("'owner' must be 1 to 128 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit");
        }
        Set<Scope> scopes = scopes(request.scopes());
        List<String> types = types(request.types(), scopes);
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("'expires_at' must be in the future");
        }
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate();
        ApiKeyCreated created = new ApiKeyCreated(owner, scopes.stream().map(Scope::wireName).toList(), types,
                request.expiresAt(), key.sha256(), by.owner(), quotas(request.quotas()));
        append(event(key.id(), now, created));
        return new Created(catalog.find(key.id()).orElseThrow(), key.token());
    }

    public void revoke(String id, Caller by) {
        requireCaughtUp();
        if (catalog.find(id).isEmpty()) {
            throw ApiException.notFound("Unknown API key", "No API key with id '" + id + "' (or it was revoked already)");
        }
        append(event(id, clock.instant(), new ApiKeyRevoked(by.owner())));
    }

    /** The keys not revoked, expired ones too, oldest first. */
    public List<ApiKey> all() {
        requireCaughtUp();
        return catalog.all();
    }

    public Optional<ApiKey> find(String id) {
        return catalog.find(id);
    }

    public boolean isCaughtUp() {
        return catalog.isCaughtUp();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return catalog.awaitCaughtUp(timeout);
    }

    /** Whether any key was ever made here (revoked ones count). */
    public boolean anyKeyMade() {
        return catalog.hasAnyKey();
    }

    /** {@code listener} is told the id of each key revoked from now on. */
    /** Whether the key with this id was revoked (as far as this instance has read). */
    public boolean isRevoked(String id) {
        return catalog.isRevoked(id);
    }

    public void onRevoked(Consumer<String> listener) {
        catalog.onRevoked(listener);
    }

    Instant now() {
        return clock.instant();
    }

    private static Set<Scope> scopes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw ApiException.badRequest("'scopes' must name at least one of " + Scope.names());
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            try {
                scopes.add(Scope.fromWireName(name));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        return scopes;
    }

    /** The key's own limits as stored; null when none is given. */
    private static io.jobline.schemas.access.KeyQuotas quotas(NewQuotas quotas) {
        if (quotas == null || (quotas.submitsPerSecond() == null && quotas.activeJobs() == null
                && quotas.uploadBytes() == null)) {
            return null;
        }
        if ((quotas.submitsPerSecond() != null && quotas.submitsPerSecond() < 0)
                || (quotas.activeJobs() != null && quotas.activeJobs() < 0)
                || (quotas.uploadBytes() != null && quotas.uploadBytes() < 0)) {
            throw ApiException.badRequest("'quotas' holds limits of 0 (none) or more: submits_per_second, active_jobs, "
                    + "upload_bytes");
        }
        return new io.jobline.schemas.access.KeyQuotas(quotas.submitsPerSecond(), quotas.activeJobs(), quotas.uploadBytes());
    }

    private static List<String> types(List<String> names, Set<Scope> scopes) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        if (!scopes.contains(Scope.WORKER)) {
            throw ApiException.badRequest("'types' limits what a worker key may work on: only a key with the worker scope has them");
        }
        if (names.size() > MAX_TYPES) {
            throw ApiException.badRequest("'types' may name at most " + MAX_TYPES + " job types");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !TYPE.matcher(name).matches()) {
                throw ApiException.badRequest("'types' must hold job type names; '" + name + "' is none");
            }
            types.add(name);
        }
        return new ArrayList<>(types);
    }

    private void requireCaughtUp() {
        if (!catalog.isCaughtUp()) {
            throw ApiException.unavailable("The service is starting: it is still reading the API keys; try again shortly");
        }
    }

    private static ApiKeyEvent event(String keyId, Instant at, Object payload) {
        return ApiKeyEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setKeyId(keyId).setTimestamp(at)
                .setPayload(payload).build();
    }

    private void append(ApiKeyEvent event) {
        catalog.append(event.getKeyId(), event, "API key change");
    }

    @Override
    public void close() throws InterruptedException {
        catalog.close();
    }
}
