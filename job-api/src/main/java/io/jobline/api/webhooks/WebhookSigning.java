package io.jobline.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import io.jobline.core.secrets.SecretInputs;

/**
 * Signs deliveries per the Standard Webhooks scheme: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, with a secret per owner ({@code whsec_<base64 of 32 bytes>}). Each owner's secret is derived
 * from the service's sealing key, so every instance has it and nothing is stored; rotating the sealing key rotates it.
 */
@Component
public class WebhookSigning {

    static final String PREFIX = "whsec_";
    private final SecretInputs secrets;

    public WebhookSigning(SecretInputs secrets) {
        this.secrets = secrets;
    }

    /** The secret a receiver of {@code owner}'s webhooks checks signatures with. */
    public String secretOf(String owner) {
        return PREFIX + Base64.getEncoder().encodeToString(key(owner));
    }

    String signature(String owner, String id, long timestampSeconds, String body) {
        return sign(key(owner), id, timestampSeconds, body);
    }

    /** {@code v1,<signature>} for a key: what any Standard Webhooks library computes from the same secret. */
    static String sign(byte[] key, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key(String owner) {
        return secrets.derive("jobline-webhooks:" + owner);
    }
}
