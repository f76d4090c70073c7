package io.jobline.api.access;

import static io.jobline.api.access.Scope.ADMIN;
import static io.jobline.api.access.Scope.JOBS_READ;
import static io.jobline.api.access.Scope.JOBS_WRITE;
import static io.jobline.api.access.Scope.WORKER;

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import io.jobline.api.problem.ApiException;
import io.jobline.api.problem.ProblemResponses;
import io.jobline.api.system.JoblineProperties;

/**
 * The access table: which scope each endpoint needs. Whose jobs a caller sees is decided where the job is read
 * ({@link JobAccess}); here only what kind of request a key may make. No server-side sessions: every request carries
 * its key, in its header or in a signed-in browser's cookie (with a CSRF token: {@link BrowserSession}), or comes
 * from this machine in protected mode, where {@link AllowedOrigins} keeps other sites' pages out.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    AllowedOrigins allowedOrigins(JoblineProperties properties) {
        return new AllowedOrigins(properties.access().allowedOrigins());
    }

    @Bean
    SecurityFilterChain access(HttpSecurity http, Authenticator authenticator, WsTickets tickets, AllowedOrigins origins)
            throws Exception {
        http.headers(headers -> headers
                        // The dashboard is files of its own: no inline script or style, no frames, nothing else loaded.
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny()))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(authenticator, tickets, origins), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) ->
                                ApiKeyAuthenticationFilter.refuse(request, response, authenticator.unauthenticated()))
                        .accessDeniedHandler((request, response, e) ->
                                ApiKeyAuthenticationFilter.refuse(request, response, ApiException.forbidden(
                                        lacking(SecurityContextHolder.getContext().getAuthentication(), request.getAttribute(Needs.NEEDED))))))
                .authorizeHttpRequests(rules -> rules
                        // Async (streams, long polls) and error dispatches of a request that was let in already.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // Another instance's question (the peer token is checked by PeerController).
                        .requestMatchers(HttpMethod.POST, "/internal/projections").permitAll()
                        .requestMatchers(HttpMethod.GET, "/internal/webhooks/*").permitAll()
                        .requestMatchers("/api/session", OidcLoginController.START, OidcLoginController.CALLBACK).permitAll()
                        // The OpenAPI description and Swagger UI: documentation, public in every mode.
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                                "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        // The dashboard's own files: a browser loads them to sign in.
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/app.js", "/app.css").permitAll()
                        .requestMatchers("/actuator/**").access(Needs.anyOf(ADMIN))
                        .requestMatchers("/api/keys", "/api/keys/**").access(Needs.anyOf(ADMIN))
                        .requestMatchers(HttpMethod.POST, "/api/jobs/cleanup").access(Needs.anyOf(ADMIN))
                        .requestMatchers(HttpMethod.GET, "/api/job-types", "/api/job-types/*").access(Needs.anyCaller())
                        .requestMatchers("/api/job-types", "/api/job-types/**").access(Needs.anyOf(ADMIN))
                        .requestMatchers(HttpMethod.POST, "/api/workers/poll").access(Needs.anyOf(WORKER))
                        .requestMatchers(HttpMethod.GET, "/api/workers").access(Needs.anyOf(JOBS_READ, WORKER))
                        .requestMatchers("/api/jobs/*/attempts/**").access(Needs.anyOf(WORKER))
                        .requestMatchers(HttpMethod.GET, "/api/jobs/*/artifacts/*").access(Needs.anyOf(JOBS_READ, WORKER))
                        .requestMatchers(HttpMethod.POST, "/api/jobs", "/api/jobs/batch", "/api/jobs/*/cancel",
                                "/api/jobs/*/retry").access(Needs.anyOf(JOBS_WRITE))
                        .requestMatchers(HttpMethod.DELETE, "/api/jobs/*").access(Needs.anyOf(JOBS_WRITE))
                        .requestMatchers(HttpMethod.GET, "/api/jobs", "/api/jobs/**").access(Needs.anyOf(JOBS_READ))
                        .requestMatchers("/api/webhooks", "/api/webhooks/**").access(Needs.anyOf(JOBS_WRITE))
                        .requestMatchers(HttpMethod.POST, "/api/ws-tickets").access(Needs.anyOf(JOBS_READ))
                        .requestMatchers("/ws").access(Needs.anyOf(JOBS_READ))
                        .anyRequest().access(Needs.anyCaller()));
        return http.build();
    }

    /**
     * A request the firewall refuses (an encoded slash, a percent sign, a control character in its URL): 400 as a
     * problem, like every other bad request, not the servlet container's error page.
     */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> ProblemResponses.write(response,
                ApiException.badRequest("The request's URL is not allowed here: " + e.getMessage()), request.getRequestURI());
    }

    private static String lacking(Authentication authentication, Object needed) {
        String who = authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? "The key of '" + caller.owner() + "' has scopes " + caller.scopes().stream().map(Scope::wireName).sorted().toList()
                : "This caller has no scope";
        return who + "; this request needs " + (needed == null ? "another scope" : needed) + " (README: Access)";
    }
}
