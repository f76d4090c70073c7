package io.jobline.api.live;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;

/**
 * Counts the open push connections, WebSocket and SSE together, in total and per client address, and admits a new
 * one only while both are under their limits. A connection holds its {@link Slot} from its handshake (or request)
 * until it closes. Releasing a slot again does nothing, so every path that ends a connection may release it.
 *
 * <p>The address is the TCP connection's peer ({@link TomcatConnection#peerAddress}), never X-Forwarded-For: a
 * header the client can write itself cannot be what limits it. An IPv6 client counts by its /64: a subscriber is
 * usually given a whole /64 (or more) and could otherwise open the per-address limit from each of its addresses.
 */
@Component
class ConnectionLimits {

    /** A slot frees only when some client leaves: asking again within seconds is pointless. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int total;

    @Autowired
    ConnectionLimits(JoblineProperties properties) {
        this(properties.live().maxConnections(), properties.live().maxConnectionsPerAddress());
    }

    ConnectionLimits(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @param remoteAddress the connection's peer address
     * @throws ApiException 429, with Retry-After, when the address or the server is at its limit
     */
    synchronized Slot admit(String remoteAddress) {
        String address = addressOf(remoteAddress);
        int fromAddress = byAddress.getOrDefault(address, 0);
        if (fromAddress >= maxPerAddress) {
            throw ApiException.tooManyRequests("Your address " + address + " has " + fromAddress
                    + " live connections open, the limit (jobline.live.max-connections-per-address); close one first", RETRY_AFTER);
        }
        if (total >= maxTotal) {
            throw ApiException.tooManyRequests("The server has " + total
                    + " live connections open, its limit (jobline.live.max-connections); try again later", RETRY_AFTER);
        }
        byAddress.put(address, fromAddress + 1);
        total++;
        return new Slot(address);
    }

    synchronized int openConnections() {
        return total;
    }

    synchronized int openConnections(String remoteAddress) {
        return byAddress.getOrDefault(addressOf(remoteAddress), 0);
    }

    private synchronized void release(String address) {
        total--;
        byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /**
     * What counts as one client: an IPv4 address (also when written IPv4-mapped, {@code ::ffff:a.b.c.d}), or the /64
     * prefix of an IPv6 address, as {@code 2001:db8:1:2::/64}.
     */
    static String addressOf(String remoteAddress) {
        // A colon means an IPv6 literal, which InetAddress parses without a name lookup; anything else is kept as is.
        if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
            return remoteAddress;
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(remoteAddress);
        } catch (UnknownHostException | SecurityException e) {
            return remoteAddress;
        }
        if (!(parsed instanceof Inet6Address)) {
            return parsed.getHostAddress();
        }
        byte[] bytes = parsed.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            prefix.append(Integer.toHexString(((bytes[2 * group] & 0xff) << 8) | (bytes[2 * group + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** One admitted connection; {@link #release()} gives its place back, once. */
    final class Slot {

        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                ConnectionLimits.this.release(address);
            }
        }
    }
}
