package io.jobline.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyTokensTest {

    @Test
    void shouldMakeKeysOfTheFormPrefixIdSecretWithTheirIdAndHash() {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate();

        assertThat(key.id()).matches("[0-9a-f]{16}");
        assertThat(key.token()).startsWith("jl_" + key.id() + "_").hasSize(3 + 16 + 1 + 43);
        assertThat(key.sha256()).isEqualTo(ApiKeyTokens.sha256(key.token())).matches("[0-9a-f]{64}");
        assertThat(key.sha256()).doesNotContain(key.token().substring(20));
    }

    @Test
    void shouldNeverMakeTheSameKeyTwice() {
        assertThat(ApiKeyTokens.generate().token()).isNotEqualTo(ApiKeyTokens.generate().token());
    }

    @Test
    void shouldFindTheIdInAKeyOfItsFormOnly() {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate();

        assertThat(ApiKeyTokens.keyIdOf(key.token())).contains(key.id());
        assertThat(ApiKeyTokens.keyIdOf(null)).isEmpty();
        assertThat(ApiKeyTokens.keyIdOf("")).isEmpty();
        assertThat(ApiKeyTokens.keyIdOf(key.token() + "x")).as("a longer secret").isEmpty();
        assertThat(ApiKeyTokens.keyIdOf(key.token().substring(1))).as("no prefix").isEmpty();
        assertThat(ApiKeyTokens.keyIdOf("jl_0123456789ABCDEF_" + "a".repeat(43))).as("upper-case id").isEmpty();
        assertThat(ApiKeyTokens.keyIdOf("jl_0123456789abcdef_" + "a".repeat(42) + "!")).as("not base64url").isEmpty();
    }

    @Test
    void shouldHashWithSha256() {
        assertThat(ApiKeyTokens.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldMatchAKeyOnlyAgainstItsOwnHash() {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate();
        ApiKeyTokens.NewKey other = ApiKeyTokens.generate();

        assertThat(ApiKeyTokens.matches(key.token(), key.sha256())).isTrue();
        assertThat(ApiKeyTokens.matches(other.token(), key.sha256())).isFalse();
        assertThat(ApiKeyTokens.matches(key.token(), "")).isFalse();
    }
}
