package io.jobline.core.files;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A presigned URL: the request it allows needs no other credentials until {@code expiresAt}.
 *
 * @param headers the headers the request must carry as they are (they are part of the signature)
 */
public record SignedUrl(URI url, String method, Map<String, String> headers, Instant expiresAt) {

    public SignedUrl {
        headers = Map.copyOf(headers);
    }
}
