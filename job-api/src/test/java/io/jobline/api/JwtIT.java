package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.FakeIdentityProvider;
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

    private FakeIdentityProvider provider;

    @BeforeEach
    void serveKeys() throws Exception {
        provider = FakeIdentityProvider.start();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldTakeTheOwnerAndScopesFromAValidTokenAndRefuseEveryOtherKind() {
        try (RunningService service = RunningService.start(dir, Map.of(
                "jobline.access.jwt.jwk-set-uri", provider.jwkSetUri(),
                "jobline.access.jwt.issuer-uri", ISSUER,
                "jobline.access.jwt.audience", "jobline"))) {
            ServiceClient anonymous = service.client();
            ServiceClient alice = anonymous.withKey(provider.token("alice", ISSUER, "jobline", "jobs:read jobs:write", 600));
            ServiceClient bob = anonymous.withKey(provider.token("bob", ISSUER, "jobline", "jobs:read jobs:write", 600));

            String id = alice.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            assertThat(alice.job(id).get("owner").asString()).isEqualTo("alice");
            assertThat(bob.get("/api/jobs/" + id).status()).as("another owner's job").isEqualTo(404);
            assertThat(anonymous.get("/api/jobs/" + id).status()).as("no token, even from loopback").isEqualTo(401);

            for (String refused : List.of(
                    provider.token("alice", ISSUER, "jobline", "jobs:read", -300),
                    provider.token("alice", "https://elsewhere.test", "jobline", "jobs:read", 600),
                    provider.token("alice", ISSUER, "another-api", "jobs:read", 600),
                    FakeIdentityProvider.token(FakeIdentityProvider.rsa(), "alice", ISSUER, "jobline", "jobs:read", 600))) {
                var answer = anonymous.withKey(refused).get("/api/jobs/" + id);
                assertThat(answer.status()).as(answer.text()).isEqualTo(401);
                assertThat(answer.header("Content-Type")).contains("application/problem+json");
            }
            var readOnly = anonymous.withKey(provider.token("alice", ISSUER, "jobline", "jobs:read", 600))
                    .postJson("/api/jobs", "{\"type\": \"noop\"}");
            assertThat(readOnly.status()).isEqualTo(403);
        }
    }
}
