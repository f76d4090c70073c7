package io.jobline.api.live;

import org.springframework.stereotype.Component;

import io.jobline.api.access.ApiKeys;

/** A revoked key's push connections end when the revocation is read, as its next request would be refused. */
@Component
class DisconnectRevokedKeys {

    DisconnectRevokedKeys(ApiKeys keys, LiveHub hub) {
        keys.onRevoked(hub::disconnectKey);
    }
}
