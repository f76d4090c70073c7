package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;

/**
 * OIDC/JWT bearer tokens: signed by a key of the JWK set the test serves on loopback, from the configured issuer, for
 * the configured audience. The owner is the token's subject and the scopes its 'scope'; an expired token, another
 * issuer's, another audience's or one signed by a key not in the set is refused with 401, a missing scope with 403.
 */
class JwtIT {

    private static final String ISSUER = "https://login.example.test/realms/jobs";

    @TempDir
    Path dir;

    private HttpServer jwks;
    private KeyPair signing;
    private final String keyId = "k1";

    @BeforeEach
    void serveKeys() throws Exception {
        signing = rsa();
        String set = new JWKSet(new RSAKey.Builder((RSAPublicKey) signing.getPublic()).keyID(keyId).build()).toString();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            byte[] body = set.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    @Test
    void shouldTakeTheOwnerAndScopesFromAValidTokenAndRefuseEveryOtherKind() throws Exception {
        try (RunningService service = RunningService.start(dir, Map.of(
                "jobline.access.jwt.jwk-set-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks",
                "jobline.access.jwt.issuer-uri", ISSUER,
                "jobline.access.jwt.audience", "jobline"))) {
            ServiceClient anonymous = service.client();
            ServiceClient alice = anonymous.withKey(token(signing, "alice", ISSUER, "jobline", "jobs:read jobs:write", 600));
            ServiceClient bob = anonymous.withKey(token(signing, "bob", ISSUER, "jobline", "jobs:read jobs:write", 600));

            String id = alice.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            assertThat(alice.job(id).get("owner").asString()).isEqualTo("alice");
            assertThat(bob.get("/api/jobs/" + id).status()).as("another owner's job").isEqualTo(404);
            assertThat(anonymous.get("/api/jobs/" + id).status()).as("no token, even from loopback").isEqualTo(401);

            for (String refused : List.of(
                    token(signing, "alice", ISSUER, "jobline", "jobs:read", -300),
                    token(signing, "alice", "https://elsewhere.test", "jobline", "jobs:read", 600),
                    token(signing, "alice", ISSUER, "another-api", "jobs:read", 600),
                    token(rsa(), "alice", ISSUER, "jobline", "jobs:read", 600))) {
                var answer = anonymous.withKey(refused).get("/api/jobs/" + id);
                assertThat(answer.status()).as(answer.text()).isEqualTo(401);
                assertThat(answer.header("Content-Type")).contains("application/problem+json");
            }
            var readOnly = anonymous.withKey(token(signing, "alice", ISSUER, "jobline", "jobs:read", 600))
                    .postJson("/api/jobs", "{\"type\": \"noop\"}");
            assertThat(readOnly.status()).isEqualTo(403);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private String token(KeyPair key, String subject, String issuer, String audience, String scope, long validSeconds)
            throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                .claim("scope", scope).issueTime(Date.from(now.minusSeconds(120)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
        return jwt.serialize();
    }
}
