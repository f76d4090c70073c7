package io.jobline.api.webhooks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.cluster.Peers;

/**
 * {@code GET /internal/webhooks/{jobId}}: another instance of the cluster asks for a job's deliveries held in this
 * instance's store (Smile; 204 when it holds none). Only peers may ask (the peer token).
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
class WebhookPeerController {

    private final ObjectProvider<Webhooks> webhooks;
    private final Peers peers;

    WebhookPeerController(ObjectProvider<Webhooks> webhooks, Peers peers) {
        this.webhooks = webhooks;
        this.peers = peers;
    }

    @GetMapping(Webhooks.PEER_PATH + "{jobId}")
    ResponseEntity<byte[]> deliveries(@RequestHeader(name = Peers.TOKEN_HEADER, required = false) String token,
                                      @PathVariable String jobId) {
        Webhooks running = webhooks.getIfAvailable();
        if (!peers.isPeer(token) || running == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        return running.local(jobId).map(job -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-jackson-smile"))
                .body(running.write(job))).orElseGet(() -> ResponseEntity.noContent().build());
    }
}
