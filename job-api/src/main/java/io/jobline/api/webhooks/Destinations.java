package io.jobline.api.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

import org.springframework.stereotype.Component;

/**
 * Where a webhook may go (server-side request forgery guard): an absolute http(s) URL without credentials, whose
 * host resolves only to public addresses, unless private ones are allowed or the host is on the allow-list. Checked
 * when a destination is given (a 400 at once) and again before every try, since what a name resolves to can change.
 */
@Component
public class Destinations {

    static final int MAX_URL_LENGTH = 2048;

    private final WebhookProperties properties;

    public Destinations(WebhookProperties properties) {
        this.properties = properties;
    }

    /** @throws IllegalArgumentException why {@code url} is not a destination a webhook may have */
    public URI check(String url) {
        URI uri = parse(url);
        String host = uri.getHost().toLowerCase();
        if (properties.allowPrivate() || properties.allowedHosts().contains(host)) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("The webhook host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new IllegalArgumentException("The webhook host '" + host + "' resolves to " + address.getHostAddress()
                        + ", an internal address; webhooks go to public addresses only (allow one with "
                        + "JOBLINE_WEBHOOKS_ALLOWED_HOSTS, or all with JOBLINE_WEBHOOKS_ALLOW_PRIVATE=true)");
            }
        }
        return uri;
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("A webhook needs a 'url'");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("A webhook URL has at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("A webhook URL is http:// or https://, like https://example.com/hooks/jobline");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("A webhook URL needs a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("A webhook URL cannot carry credentials (user:password@); the receiver "
                    + "checks the webhook-signature header instead");
        }
        return uri;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Loopback, private (RFC 1918, unique local), link-local (cloud metadata), shared (CGNAT), multicast, unspecified. */
    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7, unique local
            }
            // An IPv4 address inside IPv6 (NAT64 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible ::a.b.c.d): judged as
            // the IPv4 address it carries.
            byte[] v4 = null;
            if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
                v4 = java.util.Arrays.copyOfRange(b, 12, 16);
            } else if (b[0] == 0x20 && b[1] == 0x02) {
                v4 = java.util.Arrays.copyOfRange(b, 2, 6);
            } else if (allZero(b, 0, 12)) {
                v4 = java.util.Arrays.copyOfRange(b, 12, 16);
            }
            if (v4 != null) {
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
