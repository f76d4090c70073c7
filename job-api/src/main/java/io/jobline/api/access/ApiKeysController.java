package io.jobline.api.access;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** /api/keys (admin only): make a key (shown once), list keys (never their secrets), revoke one. */
@RestController
@RequestMapping("/api/keys")
class ApiKeysController {

    private final ApiKeys keys;

    ApiKeysController(ApiKeys keys) {
        this.keys = keys;
    }

    /** A key as listed: everything but the key. */
    record KeyResponse(String id, String owner, List<String> scopes, List<String> types, Instant expiresAt,
                       boolean expired, Instant createdAt, String createdBy) {

        static KeyResponse of(ApiKey key, Instant now) {
            return new KeyResponse(key.id(), key.owner(), key.scopes().stream().map(Scope::wireName).sorted().toList(),
                    key.types().stream().sorted().toList(), key.expiresAt(), key.isExpired(now), key.createdAt(),
                    key.createdBy());
        }
    }

    /** A key just made, with the key itself: the only time it is shown. */
    record CreatedResponse(String id, String key, String owner, List<String> scopes, List<String> types,
                           Instant expiresAt, Instant createdAt, String message) {
    }

    record KeyList(List<KeyResponse> keys, int count) {
    }

    @PostMapping
    ResponseEntity<CreatedResponse> create(@RequestBody ApiKeys.NewKeyRequest body, @AuthenticationPrincipal Caller caller) {
        ApiKeys.Created created = keys.create(body, caller);
        KeyResponse key = KeyResponse.of(created.key(), keys.now());
        return ResponseEntity.created(URI.create("/api/keys/" + key.id())).body(new CreatedResponse(key.id(),
                created.token(), key.owner(), key.scopes(), key.types(), key.expiresAt(), key.createdAt(),
                "Keep the key now: it is shown only this once (only its hash is stored). Send it as "
                        + "'Authorization: Bearer <key>'."));
    }

    @GetMapping
    KeyList list() {
        Instant now = keys.now();
        List<KeyResponse> all = keys.all().stream().map(k -> KeyResponse.of(k, now)).toList();
        return new KeyList(all, all.size());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        keys.revoke(id, caller);
        return ResponseEntity.noContent().build();
    }
}
