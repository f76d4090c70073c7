package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RawConnection;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.processor.support.Json;

/**
 * The push connection limits, on a service of its own with small limits. Clients connect from several loopback
 * addresses (127.0.0.x) to tell the per-address limit from the total one.
 */
class LiveLimitsIT {

    private static final int PER_ADDRESS = 2;
    private static final int TOTAL = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static RunningService service;
    private static ServiceClient client;

    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeAll
    static void start() {
        service = RunningService.start(dataDir, Map.of("jobline.live.max-connections", TOTAL,
                "jobline.live.max-connections-per-address", PER_ADDRESS));
        client = service.client();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(RawConnection::close);
        awaitOpenConnections(0);
    }

    @Test
    void shouldRefuseAWebSocketOverThePerAddressLimitWith429UntilOneOfItsConnectionsCloses() {
        List<RawConnection> admitted = new ArrayList<>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            admitted.add(webSocket("127.0.0.2"));
        }
        for (RawConnection ws : admitted) {
            assertThat(ws.status()).isEqualTo(101);
            ws.readUntil("\"type\":\"connection\"", WAIT);
        }

        RawConnection refused = webSocket("127.0.0.2");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        var problem = Json.parse(refused.body());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).contains("jobline.live.max-connections-per-address");
        assertThat(webSocket("127.0.0.3").status()).as("another address is not limited by this one's").isEqualTo(101);

        admitted.get(0).close();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> webSocket("127.0.0.2").status() == 101);
    }

    @Test
    void shouldRefuseAnSseStreamOverThePerAddressLimitWith429ProblemAndRetryAfter() {
        List<RawConnection> admitted = new ArrayList<>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            admitted.add(sse("127.0.0.4"));
        }
        for (RawConnection stream : admitted) {
            assertThat(stream.status()).isEqualTo(200);
            stream.readUntil("event:subscribed", WAIT);
        }

        RawConnection refused = sse("127.0.0.4");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        var problem = Json.parse(refused.body());
        assertThat(problem.get("title").asString()).isEqualTo("Too many requests");
        assertThat(problem.get("detail").asString()).contains("127.0.0.4", "jobline.live.max-connections-per-address");

        admitted.get(0).close();
        awaitOpenConnections(PER_ADDRESS - 1);
        assertThat(sse("127.0.0.4").status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseEveryAddressOnceTheTotalIsReachedCountingWebSocketsAndStreamsTogether() {
        assertThat(webSocket("127.0.0.5").status()).isEqualTo(101);
        assertThat(webSocket("127.0.0.5").status()).isEqualTo(101);
        assertThat(sse("127.0.0.6").status()).isEqualTo(200);
        assertThat(sse("127.0.0.7").status()).isEqualTo(200);
        awaitOpenConnections(TOTAL);

        RawConnection stream = sse("127.0.0.8");
        assertThat(stream.status()).isEqualTo(429);
        assertThat(Json.parse(stream.body()).get("detail").asString()).contains("jobline.live.max-connections)");
        assertThat(webSocket("127.0.0.8").status()).isEqualTo(429);
    }

    @Test
    void shouldGiveBackThePlaceOfAHandshakeThatFailsAfterItWasAdmitted() {
        for (int i = 0; i <= PER_ADDRESS; i++) {
            RawConnection unsupportedVersion = webSocket("127.0.0.9", 7);
            assertThat(unsupportedVersion.status()).as("refused by the handshake, not by the limit").isNotIn(101, 429);
            unsupportedVersion.close();
        }
        assertThat(openConnections()).isZero();
        assertThat(webSocket("127.0.0.9").status()).isEqualTo(101);
    }

    private RawConnection webSocket(String fromAddress) {
        return webSocket(fromAddress, 13);
    }

    private RawConnection webSocket(String fromAddress, int version) {
        RawConnection ws = RawConnection.webSocket(client.baseUrl(), fromAddress, version);
        connections.add(ws);
        return ws;
    }

    private RawConnection sse(String fromAddress) {
        RawConnection stream = RawConnection.sse(client.baseUrl(), fromAddress);
        connections.add(stream);
        return stream;
    }

    private static int openConnections() {
        return (int) client.get("/actuator/metrics/jobline.live.connections").json()
                .get("measurements").get(0).get("value").asDouble();
    }

    /**
     * A server finds an SSE client gone only when a write to it fails. An update makes it write to every all-jobs
     * stream at once, instead of at the next heartbeat.
     */
    private static void awaitOpenConnections(int expected) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (openConnections() == expected) {
                return true;
            }
            client.submit("noop", "{\"stages\": 1}");
            return false;
        });
    }
}
