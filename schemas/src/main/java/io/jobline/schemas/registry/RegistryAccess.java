package io.jobline.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the registry client authenticates, from the settings Confluent's serializers take: HTTP basic
 * ({@code basic.auth.user.info=user:password}, with {@code basic.auth.credentials.source} USER_INFO or unset), a
 * static bearer token ({@code bearer.auth.token}), and TLS ({@code schema.registry.ssl.truststore.*} for a private
 * CA, {@code schema.registry.ssl.keystore.*} and {@code schema.registry.ssl.key.password} for mutual TLS).
 */
record RegistryAccess(Optional<String> authorization, Optional<SSLContext> ssl) {

    static final RegistryAccess NONE = new RegistryAccess(Optional.empty(), Optional.empty());

    static RegistryAccess from(Map<String, String> settings) {
        if (settings == null || settings.isEmpty()) {
            return NONE;
        }
        return new RegistryAccess(authorization(settings), ssl(settings));
    }

    private static Optional<String> authorization(Map<String, String> settings) {
        String userInfo = settings.get("basic.auth.user.info");
        String source = settings.getOrDefault("basic.auth.credentials.source", "USER_INFO");
        String token = settings.get("bearer.auth.token");
        if (userInfo != null && !userInfo.isBlank()) {
            if (!source.equals("USER_INFO")) {
                throw new IllegalArgumentException("basic.auth.credentials.source " + source
                        + " is not supported; use USER_INFO with basic.auth.user.info");
            }
            if (token != null && !token.isBlank()) {
                throw new IllegalArgumentException("Set basic.auth.user.info or bearer.auth.token, not both");
            }
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return token == null || token.isBlank() ? Optional.empty() : Optional.of("Bearer " + token.trim());
    }

    private static Optional<SSLContext> ssl(Map<String, String> settings) {
        String truststore = settings.get("schema.registry.ssl.truststore.location");
        String keystore = settings.get("schema.registry.ssl.keystore.location");
        if (isBlank(truststore) && isBlank(keystore)) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(isBlank(truststore) ? null : load(truststore, settings.get("schema.registry.ssl.truststore.password"),
                    settings.get("schema.registry.ssl.truststore.type")));
            KeyManagerFactory keys = null;
            if (!isBlank(keystore)) {
                String password = settings.get("schema.registry.ssl.keystore.password");
                String keyPassword = settings.getOrDefault("schema.registry.ssl.key.password", password);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keystore, password, settings.get("schema.registry.ssl.keystore.type")),
                        keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the Schema Registry: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String password, String type) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(isBlank(type) ? KeyStore.getDefaultType() : type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
