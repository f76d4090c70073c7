package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.command.SubmitJob;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard signs in with a key: an HttpOnly, SameSite=Strict cookie holds it, and a request that changes
 * something needs the CSRF token of the other cookie in a header and no foreign Origin. A cross-site form post,
 * which carries neither, changes nothing.
 */
class BrowserSessionIT {

    private static final String ADMIN_KEY = "admin-key-for-the-browser-session-test-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldSignABrowserInWithAKeyAndRefuseWhatComesWithoutTheCsrfToken() throws Exception {
        try (RunningService service = RunningService.start(dir, Map.of("jobline.access.admin-key", ADMIN_KEY))) {
            ServiceClient admin = service.client().withKey(ADMIN_KEY);
            String base = service.client().baseUrl();
            assertThat(get(base + "/", null).statusCode()).as("the page loads to sign in").isEqualTo(200);
            assertThat(get(base + "/api/jobs", null).statusCode()).isEqualTo(401);
            String aliceKey = admin.postJson("/api/keys", "{\"owner\": \"alice\", \"scopes\": [\"jobs:read\", \"jobs:write\"]}")
                    .json().get("key").asString();

            assertThat(send(base + "/api/session", "POST", "{\"key\": \"wrong\"}", null, Map.of()).statusCode()).isEqualTo(401);
            HttpResponse<String> signedIn = send(base + "/api/session", "POST", "{\"key\": \"" + aliceKey + "\"}", null, Map.of());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            List<String> cookies = signedIn.headers().allValues("Set-Cookie");
            String session = cookies.stream().filter(c -> c.startsWith("jobline_session=")).findFirst().orElseThrow();
            String csrf = cookies.stream().filter(c -> c.startsWith("jobline_csrf=")).findFirst().orElseThrow();
            assertThat(session).contains("HttpOnly", "SameSite=Strict");
            assertThat(csrf).contains("SameSite=Strict").doesNotContain("HttpOnly");
            String token = csrf.substring("jobline_csrf=".length(), csrf.indexOf(';'));
            String cookie = session.substring(0, session.indexOf(';')) + "; " + csrf.substring(0, csrf.indexOf(';'));

            assertThat(get(base + "/api/jobs", cookie).statusCode()).isEqualTo(200);
            String job = "{\"type\": \"noop\"}";
            assertThat(send(base + "/api/jobs", "POST", job, cookie, Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
            assertThat(send(base + "/api/jobs", "POST", job, cookie, Map.of("X-CSRF-Token", "forged")).statusCode())
                    .isEqualTo(403);
            assertThat(send(base + "/api/jobs", "POST", job, cookie,
                    Map.of("X-CSRF-Token", token, "Origin", "https://evil.example")).statusCode()).as("a foreign page").isEqualTo(403);
            HttpResponse<String> submitted = send(base + "/api/jobs", "POST", job, cookie, Map.of("X-CSRF-Token", token));
            assertThat(submitted.statusCode()).isEqualTo(202);
            String id = JsonMapper.builder().build().readTree(submitted.body()).get("job_id").asString();
            assertThat(admin.job(id).get("owner").asString()).isEqualTo("alice");
            assertThat(TopicReader.commands(service)).filteredOn(c -> c.getPayload() instanceof SubmitJob).hasSize(1);

            HttpResponse<String> signedOut = send(base + "/api/session", "DELETE", null, cookie, Map.of());
            assertThat(signedOut.statusCode()).isEqualTo(204);
            assertThat(signedOut.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("jobline_session=;")
                    && c.contains("Max-Age=0"));
        }
    }

    private HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String url, String method, String json, String cookie, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
