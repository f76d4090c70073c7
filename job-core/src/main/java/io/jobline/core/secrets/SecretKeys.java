package io.jobline.core.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that seal secret input values (AES-256-GCM): the first seals, every one opens, so a key is rotated by
 * putting a new one first and keeping the old ones until no job sealed with them is kept. Configured as
 * {@code id:base64-key,id:base64-key}; with none configured, a key made once and kept in the data folder (enough for
 * one process; every instance and processor of a deployment must be given the same keys).
 *
 * <p>A sealed value is bound to its job and its place in the input (the cipher's associated data), so a sealed
 * value copied into another job's input does not open.
 */
public final class SecretKeys {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
    static final String PREFIX = "jobline-sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> keys;
    private final String sealingId;

    private SecretKeys(Map<String, SecretKey> keys) {
        this.keys = Map.copyOf(keys);
        this.sealingId = keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    /** No keys: nothing seals, and a sealed value does not open (a process that runs no job with secrets). */
    public static SecretKeys none() {
        return new SecretKeys(new LinkedHashMap<>());
    }

    /**
     * @param configured {@code id:base64,...} (32-byte keys), the first sealing; blank: the data folder's own key
     * @param dataDir    where the key is kept when none is configured
     */
    public static SecretKeys of(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return parse(configured);
        }
        Path file = dataDir.resolve("secret.key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                Files.writeString(file, "local:" + Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions guard it
                }
                log.warn("Made a key for secret input values in {}. Every instance and processor of a deployment must "
                        + "share the same keys: set JOBLINE_SECRETS_KEYS on all of them", file);
            }
            return parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the secret key in " + file + ": " + e.getMessage(), e);
        }
    }

    static SecretKeys parse(String configured) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : configured.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("A secret key is id:base64-of-32-bytes; got one without an id");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Secret key '" + trimmed.substring(0, colon) + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("Secret key '" + trimmed.substring(0, colon) + "' has "
                        + key.length + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
            }
            if (keys.putIfAbsent(trimmed.substring(0, colon), new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("Secret key id '" + trimmed.substring(0, colon) + "' is given twice");
            }
        }
        return new SecretKeys(keys);
    }

    /** The sealed form of {@code clear}, bound to {@code context} (a job and a place in its input). */
    String seal(String clear, String context) {
        if (sealingId == null) {
            throw new SecretException("no key to seal a secret value with");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealingId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + sealingId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a secret value: " + e.getMessage(), e);
        }
    }

    /** The clear form of a value {@link #seal} made with the same context; throws if it does not open. */
    String open(String sealed, String context) {
        String rest = sealed.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        SecretKey key = colon < 0 ? null : keys.get(rest.substring(0, colon));
        if (key == null) {
            throw new SecretException("a secret value was sealed with a key this process does not have ("
                    + (colon < 0 ? "none named" : rest.substring(0, colon)) + ")");
        }
        try {
            byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretException("a secret value does not open: it was not sealed for this job and place");
        }
    }

    static boolean isSealed(String value) {
        return value.startsWith(PREFIX);
    }

    /** A secret value could not be opened; says nothing of the value. */
    /**
     * A 32-byte secret for {@code purpose}, derived from the sealing key (HMAC-SHA256): the same on every instance that
     * shares the keys, nothing to store, and it changes when the sealing key is rotated.
     */
    public byte[] derive(String purpose) {
        if (sealingId == null) {
            throw new SecretException("No key to derive a secret from: set JOBLINE_SECRETS_KEYS");
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.get(sealingId).getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class SecretException extends RuntimeException {
        SecretException(String message) {
            super(message);
        }
    }
}
