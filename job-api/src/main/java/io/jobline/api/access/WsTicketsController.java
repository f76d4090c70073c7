package io.jobline.api.access;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /api/ws-tickets: a one-time ticket for a WebSocket or SSE handshake a browser cannot add a header to. */
@RestController
@Tag(name = "access")
class WsTicketsController {

    private final WsTickets tickets;

    WsTicketsController(WsTickets tickets) {
        this.tickets = tickets;
    }

    record TicketResponse(String ticket, Instant expiresAt, String message) {
    }

    @PostMapping("/api/ws-tickets")
    @Operation(operationId = "createWsTicket", summary = "A one-time ticket for a WebSocket or SSE handshake",
            description = "For a browser, which cannot send a header there: open /ws?ticket=... or "
                    + "/api/jobs/stream?ticket=... within 30 s, once, at this instance.")
    @ApiResponse(responseCode = "201", description = "The ticket")
    @Problems({429})
    ResponseEntity<TicketResponse> issue(@AuthenticationPrincipal Caller caller) {
        WsTickets.Ticket ticket = tickets.issue(caller);
        return ResponseEntity.status(HttpStatus.CREATED).body(new TicketResponse(ticket.ticket(), ticket.expiresAt(),
                "Open /ws?ticket=<ticket> or /api/jobs/stream?ticket=<ticket> within " + WsTickets.VALID.toSeconds()
                        + " s; it is good once"));
    }
}
