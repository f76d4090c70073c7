package io.jobline.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    private final AllowedOrigins defaults = new AllowedOrigins(List.of());
    private final AllowedOrigins configured = new AllowedOrigins(List.of("https://jobs.example.com"));

    @Test
    void shouldAllowARequestWithoutOrigin() {
        assertThat(defaults.allowsOrigin(null, "http", "jobs.example.com:8080")).isTrue();
    }

    @Test
    void shouldAllowTheServicesOwnOrigin() {
        assertThat(defaults.allowsOrigin("http://jobs.example.com:8080", "http", "jobs.example.com:8080")).isTrue();
        assertThat(defaults.allowsOrigin("HTTPS://Jobs.Example.com", "https", "jobs.example.com:443")).isTrue();
        assertThat(defaults.allowsOrigin("http://jobs.example.com:8081", "http", "jobs.example.com:8080")).isFalse();
        assertThat(defaults.allowsOrigin("https://jobs.example.com:8080", "http", "jobs.example.com:8080")).isFalse();
    }

    @Test
    void shouldAllowLoopbackOriginsOnAnyPort() {
        for (String origin : List.of("http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000",
                "http://app.localhost", "http://127.1.2.3")) {
            assertThat(defaults.allowsOrigin(origin, "http", "jobs.example.com")).as(origin).isTrue();
        }
    }

    @Test
    void shouldRefuseForeignOriginsUnlessConfigured() {
        assertThat(defaults.allowsOrigin("https://evil.example", "http", "localhost:8080")).isFalse();
        assertThat(defaults.allowsOrigin("http://127.0.0.1.evil.example", "http", "localhost:8080")).isFalse();
        assertThat(defaults.allowsOrigin("http://localhost.evil.example", "http", "localhost:8080")).isFalse();
        assertThat(defaults.allowsOrigin("null", "http", "localhost:8080")).as("a sandboxed page").isFalse();
        assertThat(configured.allowsOrigin("https://jobs.example.com", "http", "localhost:8080")).isTrue();
        assertThat(configured.allowsOrigin("https://jobs.example.com:444", "http", "localhost:8080")).isFalse();
    }

    @Test
    void shouldTakeOnlyLoopbackNamesAndConfiguredHostsAsLocalHosts() {
        assertThat(defaults.allowsLocalHost("localhost:8080")).isTrue();
        assertThat(defaults.allowsLocalHost("127.0.0.1:8080")).isTrue();
        assertThat(defaults.allowsLocalHost("[::1]:8080")).isTrue();
        assertThat(defaults.allowsLocalHost("evil.example:8080")).as("a name rebound to 127.0.0.1").isFalse();
        assertThat(defaults.allowsLocalHost("10.0.0.5:8080")).isFalse();
        assertThat(defaults.allowsLocalHost("")).isFalse();
        assertThat(configured.allowsLocalHost("jobs.example.com")).isTrue();
    }

    @Test
    void shouldRecogniseLoopbackAddressLiteralsWithoutLookingUpNames() {
        assertThat(AllowedOrigins.isLoopbackAddress("127.0.0.1")).isTrue();
        assertThat(AllowedOrigins.isLoopbackAddress("127.255.0.9")).isTrue();
        assertThat(AllowedOrigins.isLoopbackAddress("::1")).isTrue();
        assertThat(AllowedOrigins.isLoopbackAddress("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(AllowedOrigins.isLoopbackAddress("::ffff:127.0.0.1")).isTrue();
        assertThat(AllowedOrigins.isLoopbackAddress("128.0.0.1")).isFalse();
        assertThat(AllowedOrigins.isLoopbackAddress("127.0.0.300")).isFalse();
        assertThat(AllowedOrigins.isLoopbackAddress("localhost")).as("a name, not an address").isFalse();
        assertThat(AllowedOrigins.isLoopbackAddress("fe80::1")).isFalse();
    }
}
