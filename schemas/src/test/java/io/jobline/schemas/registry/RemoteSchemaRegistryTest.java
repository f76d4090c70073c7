package io.jobline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.topic.JobTopics;
import tools.jackson.databind.json.JsonMapper;

/**
 * With schema.registry.url set, schemas are registered over the Schema Registry REST API and the ids the registry
 * hands out are the ones on the wire. The registry here is a minimal HTTP stand-in on loopback that assigns ids
 * starting at 41, so ids cannot match the embedded catalog's by accident.
 */
class RemoteSchemaRegistryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final List<String> registrations = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger(41);

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects/", exchange -> {
            String subject = exchange.getRequestURI().getPath().split("/")[2];
            String schema = JSON.readTree(exchange.getRequestBody().readAllBytes()).get("schema").asString();
            registrations.add(subject);
            int id = schemasById.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                    .findFirst().orElseGet(() -> {
                        int fresh = nextId.getAndIncrement();
                        schemasById.put(fresh, schema);
                        return fresh;
                    });
            respond(exchange, 200, "{\"id\":" + id + "}");
        });
        server.createContext("/schemas/ids/", exchange -> {
            int id = Integer.parseInt(exchange.getRequestURI().getPath().substring("/schemas/ids/".length()));
            String schema = schemasById.get(id);
            if (schema == null) {
                respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema " + id + " not found\"}");
            } else {
                respond(exchange, 200, JSON.writeValueAsString(Map.of("schema", schema)));
            }
        });
        server.start();
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    @Test
    void shouldRegisterUnderTheTopicSubjectAndWriteTheIdTheRegistryReturned() {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(url()));
        JobEvent event = new JobEvent("e1", "j1", Instant.ofEpochMilli(1000), 1, 2L, new JobCancelled(null, null));

        byte[] first = topics.events().valueSerde().serializer().serialize(JobTopics.EVENTS, event);
        byte[] second = topics.events().valueSerde().serializer().serialize(JobTopics.EVENTS, event);

        assertThat(registrations).containsExactly("job-events-value");
        assertThat(first[0]).isZero();
        assertThat(java.nio.ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(41);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldReadWhatAnotherClientWroteByFetchingTheSchemaById() {
        JobEvent event = new JobEvent("e1", "j1", Instant.ofEpochMilli(1000), 1, 2L, new JobCancelled("no", null));
        byte[] bytes = new JobTopics(SchemaRegistry.forUrl(url())).events().valueSerde().serializer()
                .serialize(JobTopics.EVENTS, event);

        JobEvent read = new JobTopics(SchemaRegistry.forUrl(url())).events().valueSerde().deserializer()
                .deserialize(JobTopics.EVENTS, bytes);

        assertThat(read).isEqualTo(event);
    }

    @Test
    void shouldFailClearlyOnAnIdTheRegistryDoesNotKnow() {
        byte[] unknown = {0, 0, 0, 0, 99, 2};

        assertThatThrownBy(() -> new JobTopics(SchemaRegistry.forUrl(url())).events().valueSerde().deserializer()
                .deserialize(JobTopics.EVENTS, unknown))
                .isInstanceOf(SerializationException.class)
                .hasRootCauseInstanceOf(UnknownSchemaException.class);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
