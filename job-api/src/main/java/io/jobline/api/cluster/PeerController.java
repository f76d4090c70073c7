package io.jobline.api.cluster;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.projections.query.JobQueries;

/**
 * {@value Peers#PATH}: another instance's question about the jobs of the partitions this one holds. Only instances
 * of the cluster may ask (the peer token); what is answered is this instance's stores, never another's.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
class PeerController {

    private final JobQueries queries;
    private final Peers peers;

    PeerController(JobQueries queries, Peers peers) {
        this.queries = queries;
        this.peers = peers;
    }

    @PostMapping(path = Peers.PATH, consumes = Peers.SMILE, produces = Peers.SMILE)
    ResponseEntity<byte[]> answer(@RequestHeader(name = Peers.TOKEN_HEADER, required = false) String token,
                                  @RequestBody byte[] body) {
        if (!peers.isPeer(token) || !(queries instanceof ClusterJobQueries cluster)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(Peers.SMILE))
                .body(peers.write(cluster.answer(peers.read(body))));
    }
}
