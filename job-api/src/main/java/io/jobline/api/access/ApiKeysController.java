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

import io.jobline.api.openapi.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** /api/keys (admin only): make a key (shown once), list keys (never their secrets), revoke one. */
@RestController
@RequestMapping("/api/keys")
@Tag(name = "access", description = "API keys, browser sessions, tickets for streams")
class ApiKeysController {

    private final ApiKeys keys;

    ApiKeysController(ApiKeys keys) {
        this.keys = keys;
    }

    /** A key as listed: everything but the key. */
    @Schema(name = "ApiKey")
    record KeyResponse(String id, String owner, List<String> scopes,
                       @Schema(description = "The job types a worker key may work on; empty: any") List<String> types,
                       @Schema(nullable = true) Instant expiresAt,
                       boolean expired, Instant createdAt, String createdBy,
                       @Schema(nullable = true, description = "The key's own limits; null: its owner's") ApiKey.Quotas quotas) {

        static KeyResponse of(ApiKey key, Instant now) {
            return new KeyResponse(key.id(), key.owner(), key.scopes().stream().map(Scope::wireName).sorted().toList(),
                    key.types().stream().sorted().toList(), key.expiresAt(), key.isExpired(now), key.createdAt(),
                    key.createdBy(), key.quotas());
        }
    }

    /** A key just made, with the key itself: the only time it is shown. */
    @Schema(name = "CreatedApiKey")
    record CreatedResponse(String id, @Schema(description = "The key: shown only this once") String key, String owner,
                           List<String> scopes, List<String> types, @Schema(nullable = true) Instant expiresAt,
                           Instant createdAt, @Schema(nullable = true) ApiKey.Quotas quotas, String message) {
    }

    record KeyList(List<KeyResponse> keys, int count) {
    }

    @PostMapping
    @Operation(operationId = "createApiKey", summary = "Make an API key (admin)", description = "The key is in the "
            + "answer only: keep it. The first key ends protected mode for good.")
    @ApiResponse(responseCode = "201", description = "The key", headers = @io.swagger.v3.oas.annotations.headers.Header(
            name = "Location", description = "The key's URL", schema = @Schema(types = "string")))
    @Problems({400, 413, 503})
    ResponseEntity<CreatedResponse> create(@RequestBody ApiKeys.NewKeyRequest body, @AuthenticationPrincipal Caller caller) {
        ApiKeys.Created created = keys.create(body, caller);
        KeyResponse key = KeyResponse.of(created.key(), keys.now());
        return ResponseEntity.created(URI.create("/api/keys/" + key.id())).body(new CreatedResponse(key.id(),
                created.token(), key.owner(), key.scopes(), key.types(), key.expiresAt(), key.createdAt(),
                key.quotas(), "Keep the key now: it is shown only this once (only its hash is stored). Send it as "
                        + "'Authorization: Bearer <key>'."));
    }

    @GetMapping
    @Operation(operationId = "listApiKeys", summary = "Every API key, never the key itself (admin)")
    @ApiResponse(responseCode = "200", description = "The keys")
    KeyList list() {
        Instant now = keys.now();
        List<KeyResponse> all = keys.all().stream().map(k -> KeyResponse.of(k, now)).toList();
        return new KeyList(all, all.size());
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key (admin)",
            description = "Refused on every request after this answers; its open streams are closed.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @Problems({404, 503})
    ResponseEntity<Void> revoke(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        keys.revoke(id, caller);
        return ResponseEntity.noContent().build();
    }
}
