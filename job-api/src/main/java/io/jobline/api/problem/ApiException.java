package io.jobline.api.problem;

import java.util.Map;

import org.springframework.http.HttpStatus;

/** A request that cannot be served as asked; becomes an RFC 9457 problem response. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.properties = properties;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail, Map.of());
    }

    public static ApiException jobNotFound(String jobId) {
        return new ApiException(HttpStatus.NOT_FOUND, "Job not found", "No job with id " + jobId, Map.of("job_id", jobId));
    }

    public static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail, Map.of());
    }

    public static ApiException conflict(String title, String detail, Map<String, Object> properties) {
        return new ApiException(HttpStatus.CONFLICT, title, detail, properties);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, Map.of());
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
}
