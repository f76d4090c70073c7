package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jobline.api.support.ChildService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end, the service in a child JVM on a real broker and a receiver on loopback (allowed by name, as a
 * receiver inside a company's network would be): a job's own notify, signed per Standard Webhooks with the owner's
 * secret; an owner's subscription; a receiver answering 500 three times gets the fourth try; internal destinations
 * refused; and the service SIGKILLed while a delivery is under way delivers it after its restart.
 */
class WebhookIT {

    @TempDir
    Path dir;

    /** One request the receiver got. */
    record Received(String path, Map<String, String> headers, String body) {

        JsonNode json() {
            return Json.parse(body);
        }
    }

    /** An HTTP receiver on 127.0.0.1: /ok answers 204, /flaky 500 three times then 200, /hang holds its first request. */
    static final class Receiver implements AutoCloseable {

        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final CountDownLatch hangArrived = new CountDownLatch(1);
        final CountDownLatch releaseHang = new CountDownLatch(1);

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", this::handle);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<Received> at(String path) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(path, headers, body));
            int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = 204;
            if (path.equals("/flaky") && call <= 3) {
                status = 500;
            } else if (path.equals("/hang") && call == 1) {
                hangArrived.countDown();
                try {
                    releaseHang.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                exchange.sendResponseHeaders(status, -1);
            } catch (IOException e) {
                // the sender is gone (killed): nothing to answer
            }
            exchange.close();
        }

        @Override
        public void close() {
            releaseHang.countDown();
            server.stop(0);
        }
    }

    @Test
    void shouldDeliverSignedWebhooksRetryThemAndDeliverAfterACrash() throws Exception {
        try (Receiver receiver = new Receiver();
             ChildService service = new ChildService(dir, Map.of(
                     "jobline.webhooks.allowed-hosts", "127.0.0.1",
                     "jobline.webhooks.retry-delays", "1s,1s,1s",
                     "jobline.webhooks.timeout", "30s")).start()) {
            ServiceClient client = service.client();
            awaitReady(service);
            String secret = client.get("/api/webhooks/secret").json().get("secret").asString();
            assertThat(secret).startsWith("whsec_");

            // A job's own webhook, for its stages and its end: every request signed, one per event.
            String id = submit(client, "demo", "{\"stages\": 2, \"stage_ms\": 50}",
                    "{\"url\": \"" + receiver.url("/ok") + "\", \"events\": [\"terminal\", \"stage\"]}");
            awaitFinished(client, id);
            await("4 stage events and the end").atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/ok").size() == 5);
            // Tries are made on a pool of threads: they may arrive in any order, so they are put in the job's order.
            List<Received> ok = receiver.at("/ok").stream()
                    .sorted(java.util.Comparator.comparingLong(r -> r.json().get("data").get("seq").asLong())).toList();
            assertThat(ok).extracting(r -> r.json().get("type").asString()).containsExactly("job.stage_started",
                    "job.stage_completed", "job.stage_started", "job.stage_completed", "job.completed");
            assertThat(ok).allSatisfy(r -> {
                assertThat(r.json().get("data").get("job_id").asString()).isEqualTo(id);
                assertThat(r.headers().get("webhook-signature")).isEqualTo(sign(secret, r));
                assertThat(Long.parseLong(r.headers().get("webhook-timestamp")))
                        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
            });
            assertThat(ok).extracting(r -> r.headers().get("webhook-id")).doesNotHaveDuplicates();
            JsonNode completed = ok.get(4).json();
            assertThat(completed.get("data").get("status").asString()).isEqualTo("completed");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode deliveries = client.get("/api/jobs/" + id + "/deliveries").json();
                assertThat(deliveries.get("count").asInt()).isEqualTo(5);
                assertThat(deliveries.get("deliveries")).allSatisfy(d -> {
                    assertThat(d.get("status").asString()).isEqualTo("delivered");
                    assertThat(d.get("attempts").get(0).get("status_code").asInt()).isEqualTo(204);
                });
            });

            // A receiver that answers 500 three times gets the fourth try, with the same id and body.
            String flaky = submit(client, "noop", "{}", "{\"url\": \"" + receiver.url("/flaky") + "\"}");
            await("the fourth try").atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/flaky").size() == 4);
            List<Received> tries = receiver.at("/flaky");
            assertThat(tries).extracting(r -> r.headers().get("webhook-id")).containsOnly(tries.get(0).headers().get("webhook-id"));
            assertThat(tries).extracting(Received::body).containsOnly(tries.get(0).body());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode delivery = client.get("/api/jobs/" + flaky + "/deliveries").json().get("deliveries").get(0);
                assertThat(delivery.get("status").asString()).isEqualTo("delivered");
                List<Integer> codes = new ArrayList<>();
                delivery.get("attempts").forEach(a -> codes.add(a.get("status_code").asInt()));
                assertThat(codes).containsExactly(500, 500, 500, 204);
            });

            // An owner's subscription: jobs of its types, submitted from then on; deleted, it sends nothing more.
            ServiceClient.Response made = client.postJson("/api/webhooks", "{\"url\": \"" + receiver.url("/subscribed")
                    + "\", \"events\": [\"terminal\"], \"job_types\": [\"noop\"]}");
            assertThat(made.status()).as(made.text()).isEqualTo(201);
            assertThat(made.json().get("secret").asString()).isEqualTo(secret);
            String subscription = made.json().get("id").asString();
            assertThat(client.get("/api/webhooks").json().get("webhooks")).extracting(w -> w.get("id").asString())
                    .contains(subscription);
            String covered = client.submit("noop", "{}");
            client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}"); // another type: not covered
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/subscribed").size() == 1);
            Received told = receiver.at("/subscribed").get(0);
            assertThat(told.json().get("data").get("job_id").asString()).isEqualTo(covered);
            assertThat(told.headers().get("webhook-signature")).isEqualTo(sign(secret, told));
            assertThat(client.delete("/api/webhooks/" + subscription).status()).isEqualTo(204);
            assertThat(client.delete("/api/webhooks/" + subscription).status()).isEqualTo(404);

            // Internal destinations are refused at once, nothing accepted.
            for (String url : List.of("http://localhost:8080/x", "http://169.254.169.254/latest/meta-data",
                    "http://10.1.2.3/hook", "ftp://example.com/x", "http://user:pw@127.0.0.1/x")) {
                ServiceClient.Response refused = client.postJson("/api/jobs",
                        "{\"type\": \"noop\", \"input\": {}, \"notify\": {\"url\": \"" + url + "\"}}");
                assertThat(refused.status()).as(url + ": " + refused.text()).isEqualTo(400);
                assertThat(refused.header("Content-Type")).contains("application/problem+json");
            }
            assertThat(client.postJson("/api/webhooks", "{\"url\": \"http://192.168.1.1/x\"}").status()).isEqualTo(400);
            assertThat(client.postJson("/api/jobs", "{\"type\": \"noop\", \"notify\": {\"url\": \"" + receiver.url("/ok")
                    + "\", \"events\": [\"everything\"]}}").status()).isEqualTo(400);

            // SIGKILL while the job's webhook is under way: after the restart it is delivered, with the same id.
            String crashed = submit(client, "noop", "{}", "{\"url\": \"" + receiver.url("/hang") + "\"}");
            assertThat(receiver.hangArrived.await(60, TimeUnit.SECONDS)).as("the first try reached the receiver").isTrue();
            service.kill();
            receiver.releaseHang.countDown();
            service.start();
            awaitReady(service);
            try {
                await("delivered after the restart").atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/hang").size() >= 2);
            } catch (ConditionTimeoutException e) {
                service.logTail(80).forEach(line -> System.out.println("  service: " + line));
                throw e;
            }
            List<Received> hang = receiver.at("/hang");
            assertThat(hang).extracting(r -> r.headers().get("webhook-id")).containsOnly(hang.get(0).headers().get("webhook-id"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.get("/api/jobs/" + crashed
                    + "/deliveries").json().get("deliveries").get(0).get("status").asString()).isEqualTo("delivered"));
        }
    }

    private static String submit(ServiceClient client, String type, String input, String notify) {
        ServiceClient.Response response = client.postJson("/api/jobs",
                "{\"type\": \"" + type + "\", \"input\": " + input + ", \"notify\": " + notify + "}");
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json().get("job_id").asString();
    }

    /** What a Standard Webhooks library computes: v1,base64(HMAC-SHA256(secret, id.timestamp.body)). */
    private static String sign(String secret, Received received) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = received.headers().get("webhook-id") + "." + received.headers().get("webhook-timestamp") + "." + received.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static void awaitFinished(ServiceClient client, String id) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> client.job(id).get("status").asString().equals("completed"));
    }

    private static void awaitReady(ChildService service) {
        try {
            await("service ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> service.client().get("/actuator/health/readiness").status() == 200);
        } catch (ConditionTimeoutException e) {
            service.logTail(60).forEach(line -> System.out.println("  service: " + line));
            throw e;
        }
    }
}
