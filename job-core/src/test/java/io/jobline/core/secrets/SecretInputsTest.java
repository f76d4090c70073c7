package io.jobline.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.jobtype.InputSchema;
import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

class SecretInputsTest {

    private static final String KEY_A = "a:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = "b:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private final SecretInputs secrets = new SecretInputs(SecretKeys.parse(KEY_A));
    private final InputSchema schema = InputSchema.of(Json.parse("""
            {"type": "object", "properties": {
              "video": {"type": "string"},
              "api_token": {"type": "string", "writeOnly": true},
              "auth": {"type": "object", "properties": {"password": {"writeOnly": true}, "user": {"type": "string"}}}}}
            """));
    private final JsonNode input = Json.parse("""
            {"video": "a.mp4", "api_token": "tok-123", "auth": {"user": "ann", "password": {"pin": 4711}}}""");

    @Test
    void shouldFindTheFieldsTheSchemaMarksWriteOnly() {
        assertThat(schema.secretPaths()).containsExactly("/api_token", "/auth/password");
    }

    @Test
    void shouldSealSecretsSoTheyOpenOnlyForTheirJobAndShowMasked() {
        String sealed = secrets.seal("job-1", input, schema.secretPaths());

        assertThat(sealed).doesNotContain("tok-123", "4711").contains("a.mp4", "ann");
        assertThat(SecretInputs.mask(Json.parse(sealed))).isEqualTo(Json.parse("""
                {"video": "a.mp4", "api_token": "***", "auth": {"user": "ann", "password": "***"}}"""));
        assertThat(secrets.open("job-1", Json.parse(sealed))).isEqualTo(input);
        assertThatThrownBy(() -> secrets.open("job-2", Json.parse(sealed))).as("copied into another job")
                .isInstanceOf(SecretKeys.SecretException.class).hasMessageNotContaining("tok-123");
    }

    @Test
    void shouldOpenWhatAnOlderKeySealedAfterARotation() {
        String sealedWithA = secrets.seal("job-1", input, schema.secretPaths());
        SecretInputs rotated = new SecretInputs(SecretKeys.parse(KEY_B + "," + KEY_A));

        assertThat(rotated.open("job-1", Json.parse(sealedWithA))).isEqualTo(input);
        assertThat(rotated.seal("job-1", input, schema.secretPaths())).contains("jobline-sealed:v1:b:");
        assertThatThrownBy(() -> new SecretInputs(SecretKeys.parse(KEY_B)).open("job-1", Json.parse(sealedWithA)))
                .hasMessageContaining("does not have (a)");
    }

    @Test
    void shouldNeverNameASecretsValueInWhatIsWrongWithTheInput() {
        InputSchema strict = InputSchema.of(Json.parse("""
                {"type": "object", "properties": {"token": {"type": "string", "writeOnly": true, "pattern": "^ok",
                  "format": "email", "enum": ["ok-1"], "minLength": 40, "not": {"const": "leaked-value-99"}}}}"""));

        List<String> violations = strict.violations(Json.parse("{\"token\": \"leaked-value-99\"}"));

        assertThat(violations).isNotEmpty().noneMatch(v -> v.contains("leaked-value-99"));
    }

    @Test
    void shouldLeaveAnInputWithoutSecretsAsItIs() {
        JsonNode plain = Json.parse("{\"video\": \"a.mp4\"}");

        assertThat(secrets.seal("job-1", plain, List.of())).isEqualTo("{\"video\":\"a.mp4\"}");
        assertThat(SecretInputs.mask(plain)).isSameAs(plain);
        assertThat(secrets.open("job-1", plain)).isSameAs(plain);
    }

    @Test
    void shouldRefuseKeysThatAreNotAes256AndKeepAMadeKeyAcrossStarts(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SecretKeys.parse("x:" + Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("needs 32");
        assertThatThrownBy(() -> SecretKeys.parse("nokey")).hasMessageContaining("id:base64");

        String sealed = new SecretInputs(SecretKeys.of("", dir)).seal("job-1", input, schema.secretPaths());
        assertThat(Files.exists(dir.resolve("secret.key"))).isTrue();
        assertThat(new SecretInputs(SecretKeys.of(null, dir)).open("job-1", Json.parse(sealed))).isEqualTo(input);
    }
}
