package io.jobline.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of an API key: {@code jl_<id>_<secret>}. The id (16 hex digits) is public: listings and revocations name
 * it, and it finds the key's record. The secret is 256 random bits (43 base64url characters). Only the SHA-256 of the
 * whole key is stored.
 *
 * <p>Not bcrypt or another slow hash: those make guessing a low-entropy password expensive, and nobody guesses 256
 * random bits whatever the hash. A slow hash would only cost every request its tens of milliseconds.
 */
public final class ApiKeyTokens {

    static final String PREFIX = "jl_";
    private static final Pattern FORM = Pattern.compile("jl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as made: its id, the key the client keeps, and the hash the service keeps. */
    public record NewKey(String id, String token, String sha256) {
    }

    private ApiKeyTokens() {
    }

    public static NewKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String token = PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(keyId, token, sha256(token));
    }

    /** The id in a key of this form; empty for anything else. */
    public static Optional<String> keyIdOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(token);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
    public static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code token} hashes to {@code sha256}, compared in time independent of where they differ. */
    public static boolean matches(String token, String sha256) {
        return MessageDigest.isEqual(sha256(token).getBytes(StandardCharsets.US_ASCII),
                sha256.getBytes(StandardCharsets.US_ASCII));
    }
}
