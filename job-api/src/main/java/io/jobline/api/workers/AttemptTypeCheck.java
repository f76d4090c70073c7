package io.jobline.api.workers;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.jobline.api.access.Caller;
import io.jobline.api.access.Callers;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobIds;
import io.jobline.api.status.JobLookup;
import io.jobline.projections.view.JobView;

/**
 * A worker key that names job types reports only on attempts of jobs of those types (403 otherwise), checked before
 * any call under {@code /api/jobs/{id}/attempts/}. Where this instance has no view of the job (views are split by
 * partition), the call goes on: the attempt number fences it, as for any worker.
 */
@Component
class AttemptTypeCheck implements HandlerInterceptor, WebMvcConfigurer {

    private final JobLookup lookup;

    AttemptTypeCheck(JobLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/jobs/*/attempts/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Caller caller = Callers.current();
        if (caller.isAdmin() || caller.types().isEmpty()) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String id = variables == null ? null : variables.get("id");
        if (id == null) {
            return true;
        }
        Optional<JobView> job = lookup.find(JobIds.require(id));
        if (job.isPresent() && !caller.mayWorkOn(job.get().type())) {
            throw ApiException.forbidden("This key may work on job types " + caller.types().stream().sorted().toList()
                    + " only; job " + job.get().jobId() + " is of another type");
        }
        return true;
    }
}
