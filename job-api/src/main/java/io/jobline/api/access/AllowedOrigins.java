package io.jobline.api.access;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which browser pages may reach the service without a key of their own: a page's {@code Origin} must be the
 * service's own, a loopback one ({@code http://localhost:5173}), or one configured in
 * {@code jobline.access.allowed-origins}. A request without {@code Origin} is no browser's cross-origin request
 * (curl, SDKs, a same-origin GET) and passes.
 *
 * <p>Checked on WebSocket and SSE handshakes (a browser opens a WebSocket to any origin, and the same-origin policy
 * does not stop it), and on every loopback request in protected mode, where the {@code Host} must also be a
 * loopback name: a page of another site in the user's browser (a form posted to localhost) or one whose name was
 * rebound to 127.0.0.1 must not act as the local admin.
 */
final class AllowedOrigins {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> configured;
    private final Set<String> configuredHosts;

    AllowedOrigins(List<String> configured) {
        this.configured = configured.stream().map(AllowedOrigins::normalized).collect(Collectors.toUnmodifiableSet());
        this.configuredHosts = configured.stream().map(AllowedOrigins::hostOf).filter(h -> h != null)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether a request with this {@code Origin} (null: none) may go on, on a service the request reached as
     * {@code scheme://host} ({@code host} as in the Host header, with its port).
     */
    boolean allowsOrigin(String origin, String scheme, String host) {
        if (origin == null) {
            return true;
        }
        String normalized = normalized(origin);
        if (normalized.equals(normalized(scheme + "://" + host)) || configured.contains(normalized)) {
            return true;
        }
        String originHost = hostOf(origin);
        return originHost != null && isLoopbackName(originHost);
    }

    /** Whether a {@code Host} header (with or without port) names this machine's loopback or a configured origin. */
    boolean allowsLocalHost(String hostHeader) {
        String host = hostOf("http://" + hostHeader);
        return host != null && (isLoopbackName(host) || configuredHosts.contains(host));
    }

    /** localhost, a name under .localhost, 127.0.0.0/8 or ::1; never looked up in DNS. */
    static boolean isLoopbackName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        return isLoopbackAddress(name);
    }

    /** Whether an IP address literal is a loopback address; false for anything else (nothing is looked up in DNS). */
    static boolean isLoopbackAddress(String literal) {
        if (literal == null) {
            return false;
        }
        if (IPV4.matcher(literal).matches()) {
            String[] octets = literal.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (!literal.contains(":")) {
            return false;
        }
        try {
            // With a colon, only an IPv6 literal is parsed: never a name lookup.
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostOf(String origin) {
        try {
            String host = new URI(origin.trim()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** scheme://host[:port], lower-case, without a default port or a trailing slash. */
    private static String normalized(String origin) {
        try {
            URI uri = new URI(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return origin.trim().toLowerCase(Locale.ROOT);
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return origin.trim().toLowerCase(Locale.ROOT);
        }
    }
}
