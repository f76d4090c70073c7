package io.jobline.api.problem;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A request that cannot be served as asked; becomes an RFC 9457 problem response. */
public class ApiException extends RuntimeException {

    /** When to try again after a 503: the broker or the stores are usually back within seconds. */
    public static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(2);

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;
    private final Duration retryAfter;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        this(status, title, detail, properties, null);
    }

    /** @param retryAfter sent as the Retry-After header; null sends none */
    public ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties, Duration retryAfter) {
        this(status, title, detail, properties, retryAfter, Map.of());
    }

    /** @param headers more headers to send with the problem */
    public ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties, Duration retryAfter,
                        Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.properties = properties;
        this.retryAfter = retryAfter;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail, Map.of());
    }

    /** 403: the caller is known, and its key does not allow this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, Map.of());
    }

    public static ApiException jobNotFound(String jobId) {
        return new ApiException(HttpStatus.NOT_FOUND, "Job not found", "No job with id " + jobId, Map.of("job_id", jobId));
    }

    public static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail, Map.of());
    }

    /** 409 about a job whose status does not allow the request; the problem names the job, its status and error. */
    public static ApiException jobConflict(String title, String detail, String jobId, String jobStatus, String error) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("job_id", jobId);
        properties.put("job_status", jobStatus);
        if (error != null) {
            properties.put("error", error);
        }
        return new ApiException(HttpStatus.CONFLICT, title, detail, properties);
    }

    /** 503 while the projections catch up with the event log after a start: what they lack may still exist. */
    public static ApiException catchingUp(String what) {
        return unavailable("The service is starting: its job projections are catching up with the event log, and "
                + what + " may not be complete yet; try again shortly");
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, Map.of(), UNAVAILABLE_RETRY_AFTER);
    }

    /** 429: a limit of the service was reached; {@code retryAfter} says when trying again may succeed. */
    public static ApiException tooManyRequests(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail, Map.of(), retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** @return the Retry-After to send, or null */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Headers to send besides Retry-After. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The RFC 9457 body: title, status, detail and the properties. */
    public ProblemDetail toProblem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }
}
