package io.jobline.api.access;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;

/**
 * Who a request's credentials make it, and whether the service is in protected mode: in mode {@code auto}, with no
 * API key ever made and no admin key configured, clients on this machine are the admin {@code local} and nobody else
 * is let in. Once a key exists (or with mode {@code keys}), every request needs one.
 */
@Component
public class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    /** Where protected mode is in force; UNKNOWN until the keys made before this start have been read. */
    enum Mode { PROTECTED, KEYS, UNKNOWN }

    static final int MIN_ADMIN_KEY_LENGTH = 32;
    /** The owner (and key id) of the configured admin key. */
    static final String ADMIN_KEY_OWNER = "admin";

    private final ApiKeys keys;
    private final JoblineProperties.Access.Mode configured;
    private final String adminKeySha256;
    private final JwtCallers jwts;
    private volatile boolean wasProtected;

    Authenticator(ApiKeys keys, JoblineProperties properties) {
        this.keys = keys;
        JoblineProperties.Access access = properties.access();
        this.configured = access.mode();
        if (access.adminKey() != null && access.adminKey().length() < MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalStateException("JOBLINE_ADMIN_KEY (jobline.access.admin-key) must be at least "
                    + MIN_ADMIN_KEY_LENGTH + " characters: make one with `openssl rand -base64 32`");
        }
        this.adminKeySha256 = access.adminKey() == null ? null : ApiKeyTokens.sha256(access.adminKey());
        this.jwts = new JwtCallers(access.jwt());
    }

    /** Who a bearer key makes the request, or the problem to answer (401; 503 while the keys are still being read). */
    Verdict bearer(String token) {
        if (jwts.enabled() && JwtCallers.looksLikeJwt(token)) {
            return jwts.verify(token);
        }
        if (adminKeySha256 != null && ApiKeyTokens.matches(token, adminKeySha256)) {
            return Verdict.of(new Caller(ADMIN_KEY_OWNER, EnumSet.allOf(Scope.class), Set.of(), ADMIN_KEY_OWNER, null));
        }
        Optional<ApiKey> key = ApiKeyTokens.keyIdOf(token).flatMap(keys::find)
                .filter(k -> ApiKeyTokens.matches(token, k.secretSha256()));
        if (key.isEmpty()) {
            if (!keys.isCaughtUp()) {
                return Verdict.refused(starting());
            }
            return Verdict.refused(invalidKey("The API key is unknown or was revoked"));
        }
        Instant now = keys.now();
        if (key.get().isExpired(now)) {
            return Verdict.refused(invalidKey("The API key " + key.get().id() + " expired at " + key.get().expiresAt()));
        }
        return Verdict.of(key.get().caller());
    }

    /** Whether a caller's key is still good (not revoked, not expired): for a ticket redeemed after it was issued. */
    boolean isStillValid(Caller caller) {
        if (caller.keyId() == null) {
            return mode() == Mode.PROTECTED; // the local admin, while protected mode lasts
        }
        if (ADMIN_KEY_OWNER.equals(caller.keyId())) {
            return adminKeySha256 != null;
        }
        if (caller.keyId().startsWith("jwt:")) {
            return !caller.isExpired(keys.now());
        }
        return keys.find(caller.keyId()).filter(k -> !k.isExpired(keys.now())).isPresent();
    }

    Mode mode() {
        if (configured == JoblineProperties.Access.Mode.KEYS || adminKeySha256 != null || jwts.enabled()) {
            return Mode.KEYS;
        }
        if (!keys.isCaughtUp()) {
            return Mode.UNKNOWN;
        }
        if (keys.anyKeyMade()) {
            if (wasProtected) {
                wasProtected = false;
                log.info("An API key exists now: protected mode is over, and every request needs a key (README: Access)");
            }
            return Mode.KEYS;
        }
        wasProtected = true;
        return Mode.PROTECTED;
    }

    /** The answer to a request without credentials (or from a client protected mode does not let in). */
    ApiException unauthenticated() {
        return switch (mode()) {
            case UNKNOWN -> starting();
            case PROTECTED -> unauthorized("Protected mode: no API key exists yet, so this service answers only "
                    + "clients on its own machine (loopback). To call it from elsewhere, make a key there: "
                    + "`java -jar job-api.jar keys create --owner <you> --scopes jobs:read,jobs:write` (or start the "
                    + "service with JOBLINE_ADMIN_KEY set and make keys with POST /api/keys), then send it as "
                    + "'Authorization: Bearer <key>'. See the README's 'Access'.", null);
            case KEYS -> unauthorized("This request needs an API key: send it as 'Authorization: Bearer <key>'. An "
                    + "admin makes keys with POST /api/keys or `java -jar job-api.jar keys create`; see the README's "
                    + "'Access'.", null);
        };
    }

    static ApiException invalidKey(String detail) {
        return unauthorized(detail, "invalid_token");
    }

    private static ApiException unauthorized(String detail, String error) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail,
                error == null ? Map.of() : Map.of("error", error));
    }

    private static ApiException starting() {
        return ApiException.unavailable("The service is starting: it is still reading the API keys; try again shortly");
    }

    /** Says at start who may call. */
    @EventListener(ApplicationReadyEvent.class)
    void logMode() throws InterruptedException {
        keys.awaitCaughtUp(Duration.ofSeconds(10));
        switch (mode()) {
            case PROTECTED -> log.info("Protected mode: no API key exists and none is configured, so only clients on this "
                    + "machine (loopback) are answered, as the admin '{}'; others get 401. Make the first key with "
                    + "`java -jar job-api.jar keys create --owner <name> --scopes admin` (README: Access)", Caller.LOCAL);
            case KEYS -> log.info("Access: every request needs an API key or a token ({})", adminKeySha256 != null
                    ? "JOBLINE_ADMIN_KEY is set" : jwts.enabled() ? "OIDC/JWT tokens are configured"
                    : configured == JoblineProperties.Access.Mode.KEYS
                    ? "JOBLINE_ACCESS_MODE=keys" : "keys exist");
            case UNKNOWN -> log.warn("Access: the API keys could not be read yet; requests get 503 until they are");
        }
    }

    /** Either a caller or the problem to answer. */
    record Verdict(Caller caller, ApiException refusal) {

        static Verdict of(Caller caller) {
            return new Verdict(caller, null);
        }

        static Verdict refused(ApiException refusal) {
            return new Verdict(null, refusal);
        }
    }
}
