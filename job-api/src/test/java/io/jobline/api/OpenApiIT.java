package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description the service serves is the one committed in docs/openapi.json: a change of an endpoint or
 * of its annotations fails here until the copy is regenerated (the command is in the failure, and in docs/design.md).
 * It is served without a key, like the Swagger UI.
 */
@ExtendWith(SharedService.class)
class OpenApiIT {

    static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    static final String WRITE = "jobline.openapi.write";
    static final String REGENERATE = "./mvnw -q verify -pl job-api -am -DskipPythonTests=true -DskipTypeScriptTests=true "
            + "-Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OpenApiIT -D" + WRITE + "=true";

    private static final JsonMapper PRETTY = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Test
    void shouldServeTheCommittedDescriptionWithoutAKey() throws IOException {
        ServiceClient client = SharedService.client();
        ServiceClient.Response served = client.get("/v3/api-docs");
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        String spec = normalized(served.text());

        if (Boolean.getBoolean(WRITE)) {
            Files.writeString(COMMITTED, spec, StandardCharsets.UTF_8);
            System.out.println("OpenApiIT: wrote " + COMMITTED.toAbsolutePath().normalize());
            return;
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertThat(spec).as("The served OpenAPI description (/v3/api-docs) differs from docs/openapi.json%s. If the API "
                + "change is meant, regenerate the copy with%n  %s%nand commit it.", firstDifference(committed, spec),
                REGENERATE).isEqualTo(committed);
    }

    @Test
    void shouldDescribeEveryEndpointWithItsErrorsAsProblems() {
        JsonNode spec = SharedService.client().get("/v3/api-docs").json();
        assertThat(spec.get("openapi").asString()).startsWith("3.1");
        assertThat(spec.at("/servers/0/url").asString()).as("relative: no port in the description").isEqualTo("/");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String where = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode responses = operation.getValue().get("responses");
                if (!operation.getValue().hasNonNull("operationId")) {
                    missing.add(where + ": operationId");
                }
                boolean success = false;
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    int status = Integer.parseInt(response.getKey());
                    success |= status < 400;
                    if (status >= 400 && !path.getKey().startsWith("/schema-registry")
                            && !response.getValue().at("/content").has("application/problem+json")) {
                        missing.add(where + " " + status + ": application/problem+json");
                    }
                }
                if (!success) {
                    missing.add(where + ": a success response");
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(spec.at("/components/securitySchemes").propertyNames())
                .containsExactlyInAnyOrder("api_key", "jwt", "session", "csrf", "ticket");
    }

    @Test
    void shouldServeTheSwaggerUiWithoutAKey() {
        ServiceClient.Response ui = SharedService.client().get("/swagger-ui/index.html");
        assertThat(ui.status()).as(ui.toString()).isEqualTo(200);
        assertThat(ui.text()).contains("swagger-ui");
    }

    /** Sorted keys, two-space indents, a final newline: the form docs/openapi.json is kept in. */
    static String normalized(String json) {
        return PRETTY.writeValueAsString(PRETTY.readTree(json)) + "\n";
    }

    private static String firstDifference(String committed, String served) {
        String[] a = committed.split("\n", -1);
        String[] b = served.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String left = i < a.length ? a[i] : "<end>";
            String right = i < b.length ? b[i] : "<end>";
            if (!left.equals(right)) {
                return " (first at line " + (i + 1) + ": committed " + left.strip() + ", served " + right.strip() + ")";
            }
        }
        return "";
    }
}
