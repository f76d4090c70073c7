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

import io.jobline.api.support.RawConnection;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SseClient;
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.command.CancelJob;
import io.jobline.schemas.command.SubmitJob;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard signs in with a key: an HttpOnly, SameSite=Strict cookie holds it, and a request that changes
 * something needs the CSRF token of the other cookie in a header and no foreign Origin. A cross-site form post
 * (url-encoded or multipart), which carries neither, changes nothing; a foreign page's WebSocket or SSE stream is
 * refused though the cookie comes with it.
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
            // What a page of another site can send blind: a form, url-encoded or multipart, with the user's cookie.
            HttpResponse<String> urlEncoded = form(base + "/api/jobs", "application/x-www-form-urlencoded", "type=noop", cookie);
            assertThat(urlEncoded.statusCode()).as("a cross-origin url-encoded form post").isEqualTo(403);
            assertThat(urlEncoded.body()).contains("CSRF token");
            String boundary = "----evilform";
            HttpResponse<String> multipart = form(base + "/api/jobs", "multipart/form-data; boundary=" + boundary,
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nnoop\r\n"
                            + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                            + "Content-Type: text/csv\r\n\r\na\n1\n\r\n--" + boundary + "--\r\n", cookie);
            assertThat(multipart.statusCode()).as("a cross-origin multipart form post").isEqualTo(403);
            assertThat(multipart.body()).contains("CSRF token");

            HttpResponse<String> submitted = send(base + "/api/jobs", "POST", job, cookie, Map.of("X-CSRF-Token", token));
            assertThat(submitted.statusCode()).isEqualTo(202);
            String id = JsonMapper.builder().build().readTree(submitted.body()).get("job_id").asString();
            assertThat(admin.job(id).get("owner").asString()).isEqualTo("alice");
            assertThat(form(base + "/api/jobs/" + id + "/cancel", "application/x-www-form-urlencoded", "", cookie).statusCode())
                    .as("a cross-origin form posted to cancel").isEqualTo(403);
            List<io.jobline.schemas.command.JobCommand> commands = TopicReader.commands(service);
            assertThat(commands).filteredOn(c -> c.getPayload() instanceof SubmitJob).hasSize(1);
            assertThat(commands).noneMatch(c -> c.getPayload() instanceof CancelJob);

            // The push streams: a foreign page's WebSocket or EventSource gets nothing, though the cookie comes along.
            try (RawConnection socket = RawConnection.webSocket(base, "127.0.0.1", 13,
                    Map.of("Origin", "https://evil.example", "Cookie", cookie))) {
                assertThat(socket.status()).as("a foreign page's WebSocket with the session cookie").isEqualTo(403);
            }
            try (RawConnection socket = RawConnection.webSocket(base, "127.0.0.1", 13, Map.of("Origin", base, "Cookie", cookie))) {
                assertThat(socket.status()).as("the dashboard's own WebSocket with the cookie").isEqualTo(101);
            }
            try (SseClient foreign = new SseClient(base + "/api/jobs/" + id + "/stream", null,
                    Map.of("Origin", "https://evil.example", "Cookie", cookie));
                 SseClient own = new SseClient(base + "/api/jobs/" + id + "/stream", null, Map.of("Origin", base, "Cookie", cookie))) {
                assertThat(foreign.status()).as("a foreign page's EventSource with the session cookie").isEqualTo(403);
                assertThat(own.status()).isEqualTo(200);
            }

            HttpResponse<String> signedOut = send(base + "/api/session", "DELETE", null, cookie, Map.of());
            assertThat(signedOut.statusCode()).isEqualTo(204);
            assertThat(signedOut.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("jobline_session=;")
                    && c.contains("Max-Age=0"));
        }
    }

    /** A form as another site's page posts it: the cookie (were it sent), a foreign Origin, no CSRF header. */
    private HttpResponse<String> form(String url, String contentType, String body, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).header("Cookie", cookie).header("Origin", "https://evil.example")
                .build(), HttpResponse.BodyHandlers.ofString());
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
