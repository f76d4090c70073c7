package io.jobline.api.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID provider on loopback, as small as the tests need: its signing keys as a JWK set, its OpenID
 * configuration, an authorization endpoint that signs in whoever {@link #signInAs} names at once and sends the
 * browser back with a code, and a token endpoint that takes the code with its PKCE verifier once and gives a signed
 * access token. It mints tokens for the tests too.
 */
public final class FakeIdentityProvider implements AutoCloseable {

    public static final String KEY_ID = "k1";

    private final KeyPair signing = rsa();
    private final HttpServer server;
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private volatile Supplier<String> accessToken;

    private FakeIdentityProvider(HttpServer server) {
        this.server = server;
    }

    public static FakeIdentityProvider start() throws IOException {
        FakeIdentityProvider provider = new FakeIdentityProvider(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        provider.serve();
        return provider;
    }

    /** Its issuer URL, which its tokens name and its OpenID configuration is found under. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwkSetUri() {
        return issuer() + "/jwks";
    }

    /** The access token the token endpoint gives for the next codes. */
    public void signInAs(Supplier<String> token) {
        this.accessToken = token;
    }

    /** A token signed by this provider's key. */
    public String token(String subject, String issuer, String audience, String scope, long validSeconds) {
        return token(signing, subject, issuer, audience, scope, validSeconds);
    }

    /** A token signed by {@code key}, which this provider's JWK set may not hold. */
    public static String token(KeyPair key, String subject, String issuer, String audience, String scope, long validSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                .claim("scope", scope).issueTime(Date.from(now.minusSeconds(120)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds))).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve() {
        String keys = new JWKSet(new RSAKey.Builder((RSAPublicKey) signing.getPublic()).keyID(KEY_ID).build()).toString();
        server.createContext("/jwks", exchange -> answer(exchange, 200, keys));
        server.createContext("/.well-known/openid-configuration", exchange -> answer(exchange, 200,
                "{\"issuer\": \"" + issuer() + "\", \"authorization_endpoint\": \"" + issuer() + "/authorize\", "
                        + "\"token_endpoint\": \"" + issuer() + "/token\", \"jwks_uri\": \"" + jwkSetUri() + "\"}"));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        codes.put(code, query);
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> authorized = codes.remove(body.getOrDefault("code", ""));
        if (!"POST".equals(exchange.getRequestMethod()) || authorized == null
                || !"authorization_code".equals(body.get("grant_type"))
                || !authorized.get("redirect_uri").equals(body.get("redirect_uri"))
                || !authorized.get("client_id").equals(body.get("client_id"))
                || !authorized.get("code_challenge").equals(s256(body.getOrDefault("code_verifier", "")))) {
            answer(exchange, 400, "{\"error\": \"invalid_grant\"}");
            return;
        }
        answer(exchange, 200, "{\"access_token\": \"" + accessToken.get() + "\", \"token_type\": \"Bearer\", \"expires_in\": 600}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                String[] parts = pair.split("=", 2);
                values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** The query parameters the browser was sent to the authorization endpoint with (for assertions). */
    public static Map<String, String> query(URI uri) {
        return form(uri.getRawQuery());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
