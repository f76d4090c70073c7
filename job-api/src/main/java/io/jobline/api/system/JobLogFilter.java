package io.jobline.api.system;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.jobline.core.logging.JobLogContext;

/**
 * Every line logged while a request about one job is served (its view, events, files, control, an attempt's
 * reports) carries that job's id, and the attempt's number for an attempt's calls ({@link JobLogContext}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class JobLogFilter extends OncePerRequestFilter {

    private static final Pattern JOB_PATH = Pattern.compile("^/api/jobs/([^/]+)(?:/attempts/(\\d{1,9})(?:/.*)?|/.*)?$");
    /** Paths under /api/jobs/ that are not a job. */
    private static final Set<String> NOT_JOBS = Set.of("stats", "stream", "batch", "cleanup");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher job = JOB_PATH.matcher(request.getRequestURI());
        if (!job.matches() || NOT_JOBS.contains(job.group(1))) {
            chain.doFilter(request, response);
            return;
        }
        try (JobLogContext ignored = job.group(2) == null ? JobLogContext.of(job.group(1))
                : JobLogContext.of(job.group(1), Integer.parseInt(job.group(2)))) {
            chain.doFilter(request, response);
        }
    }
}
