package io.jobline.api.live;

import org.springframework.stereotype.Component;

import io.jobline.api.access.ApiKeys;

/**
 * A revoked key's push connections end when the revocation is read, as its next request would be refused; one that
 * was being opened as the revocation was read ends as soon as it is registered.
 */
@Component
class DisconnectRevokedKeys {

    DisconnectRevokedKeys(ApiKeys keys, LiveHub hub) {
        keys.onRevoked(hub::disconnectKey);
        hub.refuseKeysWhere(keys::isRevoked);
    }
}
