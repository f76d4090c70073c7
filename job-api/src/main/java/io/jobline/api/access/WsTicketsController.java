package io.jobline.api.access;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** POST /api/ws-tickets: a one-time ticket for a WebSocket or SSE handshake a browser cannot add a header to. */
@RestController
class WsTicketsController {

    private final WsTickets tickets;

    WsTicketsController(WsTickets tickets) {
        this.tickets = tickets;
    }

    record TicketResponse(String ticket, Instant expiresAt, String message) {
    }

    @PostMapping("/api/ws-tickets")
    ResponseEntity<TicketResponse> issue(@AuthenticationPrincipal Caller caller) {
        WsTickets.Ticket ticket = tickets.issue(caller);
        return ResponseEntity.status(HttpStatus.CREATED).body(new TicketResponse(ticket.ticket(), ticket.expiresAt(),
                "Open /ws?ticket=<ticket> or /api/jobs/stream?ticket=<ticket> within " + WsTickets.VALID.toSeconds()
                        + " s; it is good once"));
    }
}
