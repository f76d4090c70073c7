package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RawConnection;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.support.Json;

/**
 * The push connection limits and the SSE send timeout, on a service of its own with small limits. Clients connect
 * from several loopback addresses (127.0.0.x) to tell the per-address limit from the total one.
 */
class LiveLimitsIT {

    private static final int PER_ADDRESS = 2;
    private static final int TOTAL = 4;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** With a key, not protected mode: a client behind a proxy (X-Forwarded-For) is not one of this machine's. */
    private static final String ADMIN_KEY = "admin-key-for-the-live-limits-test-0123456789";
    private static final Map<String, String> WITH_KEY = Map.of("Authorization", "Bearer " + ADMIN_KEY);

    @TempDir
    static Path dataDir;

    private static RunningService service;
    private static ServiceClient client;

    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeAll
    static void start() {
        // A queue that never fills: the stalled client below must be found by the send timeout, not as too slow.
        service = RunningService.start(dataDir, Map.of("jobline.live.max-connections", TOTAL,
                "jobline.live.max-connections-per-address", PER_ADDRESS,
                "jobline.live.send-timeout", SEND_TIMEOUT.toMillis() + "ms",
                "jobline.live.queue-capacity", 1_000_000,
                "server.forward-headers-strategy", "native",
                "jobline.access.admin-key", ADMIN_KEY));
        client = service.client().withKey(ADMIN_KEY);
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

    @Test
    void shouldCountAConnectionByItsPeerAddressWhateverItsXForwardedForSays() {
        // This service applies forwarded headers (as Spring Boot does by itself on Kubernetes), and a 127.x peer is
        // one of the proxies Tomcat trusts: getRemoteAddr() is whatever the client put in X-Forwarded-For.
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertThat(sse("127.0.0.11", Map.of("X-Forwarded-For", "203.0.113." + i)).status()).isEqualTo(200);
        }

        RawConnection stream = sse("127.0.0.11", Map.of("X-Forwarded-For", "198.51.100.7"));
        assertThat(stream.status()).isEqualTo(429);
        assertThat(Json.parse(stream.body()).get("detail").asString()).contains("127.0.0.11");
        assertThat(webSocket("127.0.0.11", 13, Map.of("X-Forwarded-For", "198.51.100.8")).status()).isEqualTo(429);
    }

    @Test
    void shouldDisconnectAnSseClientThatStopsReadingWithinTheSendTimeout() {
        RawConnection stalled = RawConnection.stalledSse(client.baseUrl(), "127.0.0.10", WITH_KEY);
        connections.add(stalled);
        assertThat(stalled.status()).isEqualTo(200);
        awaitOpenConnections(1);

        List<String> jobs = new ArrayList<>();
        try (BlockedSenders senders = new BlockedSenders()) {
            // Updates until the server has dropped the client: first its socket buffers fill, then a write blocks.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (openConnections() == 0) {
                    return true;
                }
                jobs.add(client.submit("demo", "{\"stages\": 100, \"stage_ms\": 0}"));
                return false;
            });

            assertThat(senders.seenBlocked()).as("a write to the client blocked").isTrue();
            assertThat(senders.longestBlocked()).as("longest time a sender thread waited on the client")
                    .isLessThan(SEND_TIMEOUT.plusSeconds(3));
            await().atMost(Duration.ofSeconds(5)).until(senders::noneBlocked);
        }
        assertThat(stalled.closedByServerWithin(Duration.ofSeconds(10))).as("the server closed the connection").isTrue();
        // Left running, they would flood the every-job streams of the next tests.
        for (String id : jobs) {
            await().atMost(WAIT).until(() -> client.job(id).get("status").asString().equals("completed"));
        }
    }

    private RawConnection webSocket(String fromAddress) {
        return webSocket(fromAddress, 13);
    }

    private RawConnection webSocket(String fromAddress, int version) {
        return webSocket(fromAddress, version, Map.of());
    }

    private RawConnection webSocket(String fromAddress, int version, Map<String, String> headers) {
        RawConnection ws = RawConnection.webSocket(client.baseUrl(), fromAddress, version, withKey(headers));
        connections.add(ws);
        return ws;
    }

    private RawConnection sse(String fromAddress) {
        return sse(fromAddress, Map.of());
    }

    private RawConnection sse(String fromAddress, Map<String, String> headers) {
        RawConnection stream = RawConnection.sse(client.baseUrl(), fromAddress, withKey(headers));
        connections.add(stream);
        return stream;
    }

    private static Map<String, String> withKey(Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.putAll(WITH_KEY);
        return all;
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

    /**
     * Watches the service's live-sender threads (it runs in this JVM) for the longest stretch one stays parked under
     * an SSE sink: waiting for a stalled socket, or for the lock of a write that waits for one.
     */
    private static final class BlockedSenders implements AutoCloseable {

        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final Map<Long, Long> parkedSince = new HashMap<>();
        private final AtomicLong longestNanos = new AtomicLong();
        private volatile boolean seen;
        private volatile int parkedNow;

        BlockedSenders() {
            sampler.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            long now = System.nanoTime();
            int parked = 0;
            for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                long id = thread.getKey().getId();
                if (thread.getKey().getName().startsWith("live-sender") && parkedInSseSink(thread.getKey(), thread.getValue())) {
                    parked++;
                    seen = true;
                    long since = parkedSince.computeIfAbsent(id, t -> now);
                    longestNanos.accumulateAndGet(now - since, Math::max);
                } else {
                    parkedSince.remove(id);
                }
            }
            parkedNow = parked;
        }

        private static boolean parkedInSseSink(Thread thread, StackTraceElement[] stack) {
            Thread.State state = thread.getState();
            if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
                return false;
            }
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().endsWith(".SseSink")) {
                    return true;
                }
            }
            return false;
        }

        boolean seenBlocked() {
            return seen;
        }

        Duration longestBlocked() {
            return Duration.ofNanos(longestNanos.get());
        }

        boolean noneBlocked() {
            return parkedNow == 0;
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }
}
