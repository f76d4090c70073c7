package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobline.api.access.KeysCommand;
import io.jobline.api.support.RawConnection;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * Protected mode, on a service of its own bound to every address (0.0.0.0) with no key: a client that reaches it
 * through this host's network address (not loopback) is refused with 401 saying how to make a key; a loopback client
 * is the admin 'local', unless it is another site's page (Origin) or a name rebound to 127.0.0.1 (Host). The first
 * key, made with the jar's 'keys create' from loopback, ends protected mode for good.
 */
class ProtectedModeIT {

    private static final String DEMO = "{\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 10}}";

    private static RunningService service;
    private static ServiceClient local;
    private static ServiceClient remote;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> address = nonLoopbackAddress();
        assumeTrue(address.isPresent(), "this host has no non-loopback IPv4 address to call the service through");
        service = RunningService.start(Files.createTempDirectory("jobline-protected-"), Map.of("server.address", "0.0.0.0"));
        local = service.client();
        remote = local.at(address.get());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldAnswerOnlyThisMachineUntilTheFirstKeyExistsAndThenOnlyKeys() {
        Response refused = remote.get("/api/jobs");
        assertThat(refused.status()).as("a client through %s", remote.baseUrl()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(refused.json().get("detail").asString()).contains("Protected mode", "keys create", "JOBLINE_ADMIN_KEY",
                "Authorization: Bearer");
        assertThat(remote.postJson("/api/jobs", DEMO).status()).isEqualTo(401);
        assertThat(remote.get("/actuator/health").status()).as("probes come from anywhere").isEqualTo(200);
        assertThat(remote.get("/actuator/health").json().has("components")).as("but see no details").isFalse();
        assertThat(remote.get("/actuator/prometheus").status()).as("a scrape is the admin's, as metrics").isEqualTo(401);
        assertThat(local.get("/actuator/prometheus").status()).isEqualTo(200);

        assertThat(local.get("/api/jobs").status()).isEqualTo(200);
        Response submitted = local.postJson("/api/jobs", DEMO);
        assertThat(submitted.status()).isEqualTo(202);
        assertThat(local.job(submitted.json().get("job_id").asString()).get("owner").asString()).isEqualTo("local");
        assertThat(local.get("/actuator/health").json().has("components")).isTrue();

        Response foreignPage = local.postJson("/api/jobs", DEMO, Map.of("Origin", "https://evil.example"));
        assertThat(foreignPage.status()).as("another site's page posting to localhost").isEqualTo(403);
        assertThat(foreignPage.json().get("detail").asString()).contains("Origin https://evil.example");
        assertThat(local.postJson("/api/jobs", DEMO, Map.of("Origin", "http://localhost:5173")).status()).isEqualTo(202);
        try (RawConnection rebound = RawConnection.request(local.baseUrl(), "127.0.0.1", "GET", "/api/jobs",
                Map.of("Host", "rebound.example:8080"))) {
            assertThat(rebound.status()).as("a name rebound to 127.0.0.1").isEqualTo(403);
        }
        try (RawConnection socket = RawConnection.webSocket(local.baseUrl(), "127.0.0.1", 13, Map.of("Origin", "https://evil.example"))) {
            assertThat(socket.status()).as("a foreign page's WebSocket").isEqualTo(403);
        }
        try (RawConnection socket = RawConnection.webSocket(local.baseUrl(), "127.0.0.1", 13, Map.of("Origin", "http://localhost:3000"))) {
            assertThat(socket.status()).isEqualTo(101);
        }

        Cli made = cli(Map.of(), "create", "--owner", "ops", "--scopes", "admin", "--url", local.baseUrl());
        assertThat(made.code()).as(made.err()).isZero();
        JsonNode created = Json.parse(made.out());
        String key = created.get("key").asString();
        assertThat(key).startsWith("jl_" + created.get("id").asString() + "_");

        Response keyNeeded = local.get("/api/jobs");
        assertThat(keyNeeded.status()).as("protected mode is over: loopback needs a key too").isEqualTo(401);
        assertThat(keyNeeded.json().get("detail").asString()).contains("needs an API key");
        assertThat(remote.withKey(key).get("/api/jobs").status()).isEqualTo(200);
        await("an admin sees local's jobs").atMost(Duration.ofSeconds(30))
                .until(() -> local.withKey(key).get("/api/jobs").json().get("count").asInt() == 2);
        assertThat(remote.withKey(key).get("/api/keys").text()).contains(created.get("id").asString()).doesNotContain(key);

        assertThat(cli(Map.of(), "list", "--url", local.baseUrl()).code()).as("without a key now").isEqualTo(1);
        Cli listed = cli(Map.of("JOBLINE_API_KEY", key), "list", "--url", local.baseUrl());
        assertThat(listed.code()).isZero();
        assertThat(listed.out()).contains("\"owner\" : \"ops\"").doesNotContain(key);
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KeysCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** An IPv4 address of this host's own network interfaces that is not loopback (eth0's, say). */
    static Optional<String> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(ProtectedModeIT::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
