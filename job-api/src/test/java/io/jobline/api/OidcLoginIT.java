package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.FakeIdentityProvider;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.SharedService;
import io.jobline.core.support.Json;

/**
 * The dashboard's sign-in at an identity provider (authorization code with PKCE), walked as a browser walks it: the
 * service sends it to the provider with a state and a code challenge, the provider sends it back with a code, and the
 * service exchanges that for an access token that becomes the session cookie. An answer with another state, or
 * without the flow's cookie, or a token the service would not take as a bearer, signs nobody in.
 */
@ExtendWith(SharedService.class)
class OidcLoginIT {

    private static final String CLIENT = "jobline-dashboard";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void shouldSignABrowserInThroughTheIdentityProviderAndRefuseAForeignOrIncompleteAnswer() throws Exception {
        try (FakeIdentityProvider provider = FakeIdentityProvider.start();
             RunningService service = RunningService.start(dir, Map.of(
                     "jobline.access.mode", "keys",
                     "jobline.access.jwt.issuer-uri", provider.issuer(),
                     "jobline.access.jwt.audience", "jobline",
                     "jobline.access.oidc.client-id", CLIENT))) {
            String base = service.client().baseUrl();
            provider.signInAs(() -> provider.token("alice", provider.issuer(), "jobline", "openid jobs:read jobs:write", 600));
            assertThat(Json.parse(get(base + "/api/session", Map.of()).body()).get("oidc_login").asString())
                    .isEqualTo("/api/session/oidc");

            Browser browser = new Browser();
            HttpResponse<String> toProvider = browser.get(base + "/api/session/oidc");
            assertThat(toProvider.statusCode()).isEqualTo(302);
            URI authorize = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
            Map<String, String> asked = FakeIdentityProvider.query(authorize);
            assertThat(asked).containsEntry("client_id", CLIENT).containsEntry("code_challenge_method", "S256")
                    .containsEntry("redirect_uri", base + "/api/session/oidc/callback").containsKey("state");
            assertThat(toProvider.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                    .startsWith("jobline_oidc=").contains("HttpOnly", "SameSite=Lax", "Path=/api/session/oidc"));

            HttpResponse<String> back = browser.get(browser.get(authorize.toString()).headers().firstValue("Location").orElseThrow());

            assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
            assertThat(back.headers().firstValue("Location")).hasValue("/");
            assertThat(browser.cookies).containsKeys("jobline_session", "jobline_csrf");
            HttpResponse<String> submitted = browser.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                    .header("Content-Type", "application/json").header("Origin", base)
                    .header("X-CSRF-Token", browser.cookies.get("jobline_csrf"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"noop\"}")));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String id = Json.parse(submitted.body()).get("job_id").asString();
            org.awaitility.Awaitility.await().until(() -> browser.get(base + "/api/jobs/" + id).statusCode() == 200);
            assertThat(Json.parse(browser.get(base + "/api/jobs/" + id).body()).get("owner").asString()).isEqualTo("alice");

            // An answer for another browser's sign-in (its state), and one that comes with no sign-in under way.
            Browser other = new Browser();
            other.get(base + "/api/session/oidc");
            HttpResponse<String> foreign = other.get(browser.get(browser.get(base + "/api/session/oidc").headers()
                    .firstValue("Location").orElseThrow()).headers().firstValue("Location").orElseThrow());
            assertProblem(foreign, 400, "state differs");
            assertThat(other.cookies).doesNotContainKey("jobline_session");
            assertProblem(new Browser().get(base + "/api/session/oidc/callback?code=x&state=y"), 400, "No sign-in is under way");

            // A token the service does not take (another audience) signs nobody in.
            provider.signInAs(() -> provider.token("mallory", provider.issuer(), "another-api", "jobs:read", 600));
            Browser third = new Browser();
            URI again = URI.create(third.get(base + "/api/session/oidc").headers().firstValue("Location").orElseThrow());
            assertProblem(third.get(third.get(again.toString()).headers().firstValue("Location").orElseThrow()), 401,
                    "not accepted here");
            assertThat(third.cookies).doesNotContainKey("jobline_session");
        }
    }

    @Test
    void shouldAnswer404WhereNoIdentityProviderSignInIsConfigured() throws Exception {
        String base = SharedService.service().client().baseUrl();
        assertThat(Json.parse(get(base + "/api/session", Map.of()).body()).get("oidc_login").isNull()).isTrue();
        assertProblem(get(base + "/api/session/oidc", Map.of()), 404, "JOBLINE_OIDC_CLIENT_ID");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).contains("application/problem+json"));
        assertThat(Json.parse(response.body()).get("detail").asString()).contains(detail);
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Keeps the cookies the service sets (one host, so no domain or path matching is needed beyond the flow's). */
    private final class Browser {
        final Map<String, String> cookies = new HashMap<>();

        HttpResponse<String> get(String url) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).GET());
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            List<String> set = response.headers().allValues("Set-Cookie");
            for (String cookie : set) {
                String[] pair = cookie.split(";", 2)[0].split("=", 2);
                if (cookie.contains("Max-Age=0")) {
                    cookies.remove(pair[0]);
                } else {
                    cookies.put(pair[0], pair[1]);
                }
            }
            return response;
        }
    }
}
