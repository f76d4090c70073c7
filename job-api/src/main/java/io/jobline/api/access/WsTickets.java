package io.jobline.api.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;

/**
 * One-time tickets for the push handshakes a browser cannot put a header on (WebSocket, EventSource): a caller with
 * a key asks for one ({@code POST /api/ws-tickets}) and passes it as {@code ?ticket=} within {@link #VALID}. A ticket
 * is good once, on the instance that issued it, and stands for the key it was issued to (checked again when used).
 */
@Component
class WsTickets {

    static final Duration VALID = Duration.ofSeconds(30);
    static final int MAX_OUTSTANDING = 10_000;

    private record Issued(Caller caller, Instant expiresAt) {
    }

    /** A ticket and until when it may be used. */
    record Ticket(String ticket, Instant expiresAt) {
    }

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    WsTickets() {
        this(Clock.systemUTC());
    }

    WsTickets(Clock clock) {
        this.clock = clock;
    }

    Ticket issue(Caller caller) {
        Instant now = clock.instant();
        if (issued.size() >= MAX_OUTSTANDING) {
            issued.values().removeIf(t -> !now.isBefore(t.expiresAt()));
            if (issued.size() >= MAX_OUTSTANDING) {
                throw ApiException.tooManyRequests("Too many unused tickets; use or let expire the ones you have", VALID);
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(VALID);
        issued.put(ticket, new Issued(caller, expiresAt));
        return new Ticket(ticket, expiresAt);
    }

    /** The caller a ticket was issued to, once; empty when unknown, used or expired. */
    Optional<Caller> redeem(String ticket) {
        Issued found = ticket == null ? null : issued.remove(ticket);
        if (found == null || !clock.instant().isBefore(found.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(found.caller());
    }
}
