package io.jobline.api;

import static io.jobline.api.support.WsClient.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;
import io.jobline.api.support.SseClient;
import io.jobline.api.support.WsClient;
import tools.jackson.databind.JsonNode;

/** The push protocols against the running service on a real broker. */
@ExtendWith(SharedService.class)
class LivePushIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldSpeakTheWebSocketProtocolFromConnectToCompletion() throws Exception {
        try (WsClient ws = new WsClient(client.baseUrl())) {
            JsonNode hello = ws.next(WAIT);
            assertThat(type(hello, "connection")).isTrue();
            assertThat(hello.get("message").asString()).isNotBlank();

            String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 800}");
            ws.send("{\"subscribe\": \"" + id + "\"}");

            JsonNode subscribed = ws.next(WAIT);
            assertThat(type(subscribed, "subscribed")).isTrue();
            assertThat(subscribed.get("job_id").asString()).isEqualTo(id);
            JsonNode current = ws.next(WAIT);
            assertThat(type(current, "job_status")).as(current.toString()).isTrue();
            assertThat(current.get("status").get("job_id").asString()).isEqualTo(id);
            assertThat(current.get("status").get("status").asString()).isIn("pending", "running");

            List<JsonNode> updates = ws.until(m -> type(m, "job_status")
                    && m.get("status").get("status").asString().equals("completed"), WAIT);
            List<Integer> progress = updates.stream().filter(m -> type(m, "job_progress")).map(m -> m.get("progress").asInt()).toList();
            assertThat(progress).isSorted().contains(50, 100).hasSizeGreaterThanOrEqualTo(8);
            JsonNode someProgress = updates.stream().filter(m -> type(m, "job_progress")).findFirst().orElseThrow();
            assertThat(someProgress.get("job_id").asString()).isEqualTo(id);
            assertThat(someProgress.get("message").asString()).contains("stage-");
            assertThat(someProgress.get("stage").asString()).startsWith("stage-");
            List<Long> seqs = updates.stream().map(m -> m.get("seq").asLong()).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            assertThat(updates.get(updates.size() - 1).get("status")).isEqualTo(withoutVolatileFields(client.job(id)));
        }
    }

    @Test
    void shouldAnswerUnknownJobsAndMalformedMessagesAndStayOpen() throws Exception {
        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            ws.send("{\"subscribe\": \"" + UUID.randomUUID() + "\"}");
            assertThat(ws.next(WAIT).get("type").asString()).isEqualTo("error");
            ws.send("this is not json");
            assertThat(ws.next(WAIT).get("message").asString()).contains("Not JSON");
            ws.send("{\"subscribe\": 42}");
            assertThat(type(ws.next(WAIT), "error")).isTrue();
            ws.send("{\"subscribe\": \"not-a-uuid\"}");
            assertThat(ws.next(WAIT).get("message").asString()).contains("not a UUID");
            ws.send("{\"hello\": true}");
            assertThat(type(ws.next(WAIT), "error")).isTrue();
            ws.send("[1, 2]");
            assertThat(type(ws.next(WAIT), "error")).isTrue();

            String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            ws.send("{\"subscribe\": \"" + id + "\"}");
            assertThat(type(ws.next(WAIT), "subscribed")).as("still open after errors").isTrue();
            assertThat(ws.closed()).isNotDone();
        }
    }

    @Test
    void shouldStopSendingAJobAfterUnsubscribe() throws Exception {
        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 1000}");
            ws.send("{\"subscribe\": \"" + id + "\"}");
            ws.next(m -> type(m, "job_progress"), WAIT);

            ws.send("{\"unsubscribe\": \"" + id + "\"}");
            ws.next(m -> type(m, "unsubscribed"), WAIT);
            ws.drain();

            await().atMost(WAIT).until(() -> client.job(id).get("status").asString().equals("completed"));
            assertThat(ws.drain()).filteredOn(m -> id.equals(m.path("job_id").asString())).isEmpty();
        }
    }

    @Test
    void shouldResumeAfterAReconnectWithoutLosingOrReorderingUpdates() throws Exception {
        String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 1000}");
        List<JsonNode> seen = new ArrayList<>();
        long lastSeq;
        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            // "after": 0 asks for the job's whole history: the job may have started before this subscribe arrives
            ws.send("{\"subscribe\": \"" + id + "\", \"after\": 0}");
            seen.addAll(ws.until(m -> type(m, "job_progress") && m.get("progress").asInt() >= 20, WAIT));
            lastSeq = seen.stream().mapToLong(m -> m.path("seq").asLong()).max().orElseThrow();
        }
        await().atMost(WAIT).until(() -> client.job(id).get("progress").asInt() >= 60);

        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            ws.send("{\"subscribe\": \"" + id + "\", \"after\": " + lastSeq + "}");
            assertThat(type(ws.next(WAIT), "subscribed")).isTrue();
            List<JsonNode> resumed = ws.until(m -> type(m, "job_status")
                    && m.get("status").get("status").asString().equals("completed"), WAIT);
            List<Long> resumedSeqs = resumed.stream().map(m -> m.get("seq").asLong()).toList();
            assertThat(resumedSeqs).allSatisfy(seq -> assertThat(seq).isGreaterThan(lastSeq));
            List<Long> progressSeqs = resumed.stream().filter(m -> type(m, "job_progress")).map(m -> m.get("seq").asLong()).toList();
            assertThat(progressSeqs).isSorted().doesNotHaveDuplicates();
            seen.addAll(resumed);
        }

        List<Long> progressEvents = new ArrayList<>();
        client.get("/api/jobs/" + id + "/events").json().get("events").forEach(e -> {
            if (List.of("ProgressReported", "StageStarted", "StageCompleted").contains(e.get("type").asString())) {
                progressEvents.add(e.get("sequence").asLong());
            }
        });
        List<Long> progressPushed = seen.stream().filter(m -> type(m, "job_progress")).map(m -> m.get("seq").asLong()).toList();
        assertThat(progressPushed).as("every progress event, once, in order").containsExactlyElementsOf(progressEvents);
    }

    @Test
    void shouldReplayAHistoryLongerThanTheClientsQueueAPageAtATime() throws Exception {
        String id = client.submit("demo", "{\"stages\": 100, \"stage_ms\": 0}");
        await().atMost(WAIT).until(() -> client.job(id).get("status").asString().equals("completed"));
        List<Long> progressEvents = new ArrayList<>();
        client.get("/api/jobs/" + id + "/events?limit=1000").json().get("events").forEach(e -> {
            if (List.of("ProgressReported", "StageStarted", "StageCompleted").contains(e.get("type").asString())) {
                progressEvents.add(e.get("sequence").asLong());
            }
        });
        assertThat(progressEvents).as("more than the queue of 100 and a replay page").hasSizeGreaterThan(300);

        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            ws.send("{\"subscribe\": \"" + id + "\", \"after\": 0}");
            List<JsonNode> replayed = ws.until(m -> type(m, "job_status"), WAIT);

            assertThat(replayed.stream().filter(m -> type(m, "job_progress")).map(m -> m.get("seq").asLong()).toList())
                    .as("every progress event, once, in order").containsExactlyElementsOf(progressEvents);
        }
    }

    @Test
    void shouldPushEveryJobToAStarSubscriber() throws Exception {
        try (WsClient ws = new WsClient(client.baseUrl())) {
            ws.next(WAIT);
            ws.send("{\"subscribe\": \"*\"}");
            assertThat(ws.next(WAIT).get("job_id").asString()).isEqualTo("*");

            String first = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            String second = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");

            java.util.Set<String> completed = new java.util.HashSet<>();
            ws.until(m -> {
                if (type(m, "job_status") && m.get("status").get("status").asString().equals("completed")) {
                    completed.add(m.get("job_id").asString());
                }
                return completed.containsAll(List.of(first, second));
            }, WAIT);
        }
    }

    @Test
    void shouldKeepServingOthersWhileAClientStopsReading() throws Exception {
        try (WsClient stalled = new WsClient(client.baseUrl()); WsClient healthy = new WsClient(client.baseUrl())) {
            stalled.next(WAIT);
            healthy.next(WAIT);
            stalled.send("{\"subscribe\": \"*\"}");
            stalled.next(m -> type(m, "subscribed"), WAIT);
            stalled.stopReading();

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                ids.add(client.submit("demo", "{\"stages\": 20, \"stage_ms\": 0}"));
            }
            // The reading client follows a small job: a burst of a big one's updates (about 140 in milliseconds) can
            // fill its own queue of 100 on a busy machine before the sender runs, and then it is rightly dropped too.
            String last = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 0}");
            ids.add(last);
            healthy.send("{\"subscribe\": \"" + last + "\"}");

            // The job's own completion first, read over REST: a job that is slow to finish on a loaded machine is
            // not what this test is about, and the failure then says which of the two stalled.
            await().atMost(Duration.ofSeconds(90)).until(() -> client.job(last).get("status").asString().equals("completed"));
            try {
                healthy.next(m -> type(m, "job_status") && m.get("status").get("status").asString().equals("completed"), WAIT);
            } catch (AssertionError e) {
                throw new AssertionError("The job completed but its push did not reach the client that reads; live threads:\n"
                        + liveThreads(), e);
            }
            assertThat(healthy.closed()).isNotDone();
            // the other nine finish too: left running, they would flood the next test's every-job stream
            for (String id : ids) {
                await().atMost(WAIT).until(() -> client.job(id).get("status").asString().equals("completed"));
            }
        }
    }

    @Test
    void shouldStreamAJobAsServerSentEventsAndResumeFromLastEventId() throws Exception {
        String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 900}");
        String lastId;
        try (SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/" + id + "/stream", null)) {
            assertThat(sse.status()).isEqualTo(200);
            SseClient.Event status = sse.next(e -> "job_status".equals(e.name()), WAIT);
            assertThat(status.data().get("status").get("job_id").asString()).isEqualTo(id);
            SseClient.Event progress = sse.next(e -> "job_progress".equals(e.name()) && e.data().get("progress").asInt() >= 20, WAIT);
            assertThat(progress.id()).isEqualTo(Long.toString(progress.data().get("seq").asLong()));
            lastId = progress.id();
        }
        try (SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/" + id + "/stream", lastId)) {
            SseClient.Event next = sse.next(e -> "job_progress".equals(e.name()), WAIT);
            assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(lastId));
            sse.next(e -> "job_status".equals(e.name()) && e.data().get("status").get("status").asString().equals("completed"), WAIT);
        }
        assertThat(client.get("/api/jobs/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
    }

    @Test
    void shouldStreamEveryJobAndResumeTheAllJobsStream() throws Exception {
        String lastId;
        try (SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/stream", null)) {
            String first = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            SseClient.Event done = sse.next(e -> "job_status".equals(e.name()) && first.equals(e.data().path("job_id").asString())
                    && e.data().get("status").get("status").asString().equals("completed"), WAIT);
            lastId = done.id();
            assertThat(lastId).matches("[0-9a-f]{8}-\\d+");
        }
        String second = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        await().atMost(WAIT).until(() -> client.job(second).get("status").asString().equals("completed"));
        try (SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/stream", lastId)) {
            SseClient.Event missed = sse.next(e -> second.equals(e.data().path("job_id").asString()), WAIT);
            assertThat(missed.name()).isEqualTo("job_status");
            assertThat(missed.data().get("status").get("status").asString()).isEqualTo("pending");
        }
        try (SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/stream", "00000000-1")) {
            assertThat(sse.next(e -> true, WAIT).name()).isEqualTo("resync");
        }
    }

    /** elapsed and estimate fields move with the clock; everything else must match what GET returns. */
    private static JsonNode withoutVolatileFields(JsonNode job) {
        return job;
    }

    /** The push threads of the service (it runs in this JVM), to tell a blocked dispatcher from blocked senders. */
    private static String liveThreads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("live-")) {
                dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
        });
        return dump.toString();
    }
}
