package io.jobline.api.problem;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link ApiException} as problem+json straight to a servlet response, for the places where no controller
 * advice runs (a refused WebSocket handshake). The body has the shape {@link ProblemHandler}'s responses have.
 */
public final class ProblemResponses {

    // Spring MVC renders ProblemDetail with this mix-in: properties at the top level, no null fields.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    private ProblemResponses() {
    }

    public static void write(HttpServletResponse response, ApiException e, String instance) throws IOException {
        ProblemDetail problem = e.toProblem();
        problem.setInstance(URI.create(instance));
        response.setStatus(e.status().value());
        if (e.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
        }
        e.headers().forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
