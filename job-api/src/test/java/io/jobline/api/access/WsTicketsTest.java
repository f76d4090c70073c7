package io.jobline.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class WsTicketsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    private final WsTickets tickets = new WsTickets(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void shouldRedeemATicketOnceForTheCallerItWasIssuedTo() {
        WsTickets.Ticket ticket = tickets.issue(Caller.localAdmin());

        assertThat(tickets.redeem(ticket.ticket())).contains(Caller.localAdmin());
        assertThat(tickets.redeem(ticket.ticket())).as("used already").isEmpty();
    }

    @Test
    void shouldRefuseATicketAfterThirtySecondsOrUnknown() {
        WsTickets.Ticket ticket = tickets.issue(Caller.localAdmin());
        now.set(now.get().plus(WsTickets.VALID));

        assertThat(ticket.expiresAt()).isEqualTo(now.get());
        assertThat(tickets.redeem(ticket.ticket())).isEmpty();
        assertThat(tickets.redeem("nonsense")).isEmpty();
        assertThat(tickets.redeem(null)).isEmpty();
        assertThat(WsTickets.VALID).isEqualTo(Duration.ofSeconds(30));
    }
}
