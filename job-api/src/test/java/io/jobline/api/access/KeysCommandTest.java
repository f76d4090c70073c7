package io.jobline.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

class KeysCommandTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void shouldPostANewKeyWithItsScopesTypesAndExpiry() {
        KeysCommand.Call call = KeysCommand.call(List.of("create", "--owner", "alice", "--scopes", "worker, jobs:read",
                "--types", "compare-videos", "--expires-in", "30d"), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/api/keys");
        JsonNode body = Json.parse(call.body());
        assertThat(body.get("owner").asString()).isEqualTo("alice");
        assertThat(body.get("scopes").toString()).isEqualTo("[\"worker\",\"jobs:read\"]");
        assertThat(body.get("types").toString()).isEqualTo("[\"compare-videos\"]");
        assertThat(body.get("expires_at").asString()).isEqualTo("2030-01-31T00:00:00Z");
    }

    @Test
    void shouldPostTheKeysOwnQuotasOnlyWhenGiven() {
        JsonNode body = Json.parse(KeysCommand.call(List.of("create", "--owner", "alice", "--scopes", "jobs:write",
                "--submits-per-second", "5", "--upload-bytes", "10MB"), NOW).body());

        assertThat(body.get("quotas").toString()).isEqualTo("{\"submits_per_second\":5,\"upload_bytes\":10485760}");
        assertThat(Json.parse(KeysCommand.call(List.of("create", "--owner", "alice", "--scopes", "jobs:write"), NOW).body())
                .has("quotas")).isFalse();
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner", "a", "--scopes", "jobs:write",
                "--active-jobs", "-1"), NOW)).hasMessageContaining("--active-jobs must be a whole number");
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner", "a", "--scopes", "jobs:write",
                "--submits-per-second", "3000000000"), NOW)).hasMessageContaining("--submits-per-second");
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner", "a", "--scopes", "jobs:write",
                "--upload-bytes", "lots"), NOW)).hasMessageContaining("--upload-bytes");
    }

    @Test
    void shouldListAndRevoke() {
        assertThat(KeysCommand.call(List.of("list"), NOW)).isEqualTo(new KeysCommand.Call("GET", "/api/keys", null, null));
        assertThat(KeysCommand.call(List.of("revoke", "0123456789abcdef"), NOW).path()).isEqualTo("/api/keys/0123456789abcdef");
    }

    @Test
    void shouldRefuseIncompleteOrUnknownCommands() {
        assertThatThrownBy(() -> KeysCommand.call(List.of(), NOW)).hasMessageContaining("create, list or revoke");
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner", "alice"), NOW)).hasMessageContaining("--scopes");
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner"), NOW)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> KeysCommand.call(List.of("create", "--owner", "a", "--scopes", "admin", "--expires-in", "soon"), NOW))
                .hasMessageContaining("--expires-in");
        assertThatThrownBy(() -> KeysCommand.call(List.of("revoke"), NOW)).hasMessageContaining("one key");
        assertThatThrownBy(() -> KeysCommand.call(List.of("rotate"), NOW)).hasMessageContaining("Unknown command");
    }

    @Test
    void shouldExitWithUsageOnAWrongCommandLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = KeysCommand.run(new String[] {"create"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: java -jar job-api.jar keys");
    }
}
