package io.jobline.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private final Destinations strict = new Destinations(new WebhookProperties(false, List.of(), null, null));

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "198.18.0.1",
            "64:ff9b::a9fe:a9fe", "2002:c0a8:101::1", "::a9fe:a9fe", "::ffff:10.0.0.1"})
    void shouldTakeInternalAddressesForInternal(String address) throws Exception {
        assertThat(Destinations.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "203.0.114.1", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808"})
    void shouldTakePublicAddressesForPublic(String address) throws Exception {
        assertThat(Destinations.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/x", "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/x"})
    void shouldRefuseInternalDestinations(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("internal address");
    }

    @Test
    void shouldRefuseWhatIsNotAnHttpUrlWithoutCredentials() {
        assertThatThrownBy(() -> strict.check("ftp://example.com/x")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> strict.check("https://user:pw@example.com/x")).hasMessageContaining("credentials");
        assertThatThrownBy(() -> strict.check("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> strict.check("/relative")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> strict.check(null)).hasMessageContaining("needs a 'url'");
        assertThatThrownBy(() -> strict.check("https://example.com/" + "a".repeat(2100))).hasMessageContaining("2048");
    }

    @Test
    void shouldLetThroughAHostOnTheAllowListOrAnyWhenPrivateIsAllowed() {
        Destinations listed = new Destinations(new WebhookProperties(false, List.of(" Receiver.Internal ", "127.0.0.1"), null, null));
        Destinations open = new Destinations(new WebhookProperties(true, List.of(), null, null));

        assertThat(listed.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
        assertThat(listed.check("http://receiver.internal/hook").getHost()).isEqualTo("receiver.internal");
        assertThatThrownBy(() -> listed.check("http://10.0.0.1/x")).hasMessageContaining("internal address");
        assertThat(open.check("http://10.0.0.1/x").getHost()).isEqualTo("10.0.0.1");
    }
}
