package io.jobline.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of a Confluent-compatible Schema Registry (the REST API of {@code schema.registry.url}). Registers the
 * service's schemas and resolves writer schemas by id, caching both.
 */
public final class RemoteSchemaRegistry implements SchemaRegistry {

    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final RegistryAccess access;
    private final HttpClient http;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public RemoteSchemaRegistry(String baseUrl) {
        this(baseUrl, Map.of());
    }

    /** @param settings the registry client's settings, named as Confluent's serializers name them ({@link RegistryAccess}) */
    public RemoteSchemaRegistry(String baseUrl, Map<String, String> settings) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.access = RegistryAccess.from(settings);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        access.ssl().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    @Override
    public int idFor(String subject, Schema schema) {
        return ids.computeIfAbsent(subject + '\n' + schema, key -> register(subject, schema));
    }

    @Override
    public Schema schemaById(int id) {
        return schemas.computeIfAbsent(id, this::fetch);
    }

    private int register(String subject, Schema schema) {
        String body = json.writeValueAsString(Map.of("schema", schema.toString()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/subjects/" + encode(subject) + "/versions"))
                .timeout(TIMEOUT)
                .header("Content-Type", MEDIA_TYPE)
                .header("Accept", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        int id = send(request).path("id").asInt(-1);
        if (id < 0) {
            throw new IllegalStateException("Schema Registry at " + baseUrl + " returned no id for " + subject);
        }
        schemas.putIfAbsent(id, schema);
        return id;
    }

    private Schema fetch(int id) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/schemas/ids/" + id))
                .timeout(TIMEOUT)
                .header("Accept", MEDIA_TYPE)
                .GET();
        return new Schema.Parser().parse(send(request).path("schema").asString());
    }

    private JsonNode send(HttpRequest.Builder builder) {
        access.authorization().ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new IllegalStateException("Schema Registry at " + baseUrl + " refused this client ("
                        + response.statusCode() + "): check basic.auth.user.info or bearer.auth.token");
            }
            if (response.statusCode() == 404) {
                throw new UnknownSchemaException("Schema Registry: " + response.body());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("Schema Registry answered " + response.statusCode() + " to "
                        + request.method() + " " + request.uri() + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Schema Registry at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the Schema Registry", e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
