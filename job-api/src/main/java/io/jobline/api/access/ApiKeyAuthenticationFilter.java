package io.jobline.api.access;

import java.io.IOException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.jobline.api.problem.ApiException;
import io.jobline.api.problem.ProblemResponses;

/**
 * Finds who a request comes from: a key in {@code Authorization: Bearer}, a WebSocket/SSE ticket, a signed-in
 * browser's session cookie ({@link BrowserSession}; with its CSRF token on a request that changes something), or, in
 * protected mode, a client on this machine (the admin {@code local}). A request it cannot place goes on unauthenticated, and
 * the access rules answer it (401, or nothing needed). A key that is wrong is answered 401 here.
 *
 * <p>The push handshakes are checked for their {@code Origin} first: a page of a foreign site must not open a
 * stream, whatever credentials the browser has.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final String TICKET = "ticket";

    private final Authenticator authenticator;
    private final WsTickets tickets;
    private final AllowedOrigins origins;

    ApiKeyAuthenticationFilter(Authenticator authenticator, WsTickets tickets, AllowedOrigins origins) {
        this.authenticator = authenticator;
        this.tickets = tickets;
        this.origins = origins;
    }

    /** The WebSocket endpoint and the SSE streams: what a browser opens with no header of its own. */
    static boolean isPush(HttpServletRequest request) {
        String path = request.getRequestURI();
        return "GET".equals(request.getMethod())
                && (path.equals("/ws") || (path.startsWith("/api/jobs/") && path.endsWith("/stream")));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (isPush(request) && !origins.allowsOrigin(origin, request.getScheme(), host(request))) {
            refuse(request, response, ApiException.forbidden("Origin " + origin + " may not open this stream: only the service's own "
                    + "origin, loopback ones and those in JOBLINE_ALLOWED_ORIGINS may"));
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        // Only a push handshake may carry a ticket: reading a parameter of any other request would parse its body
        // (a multipart upload, here in a filter, where its errors are not the API's problems).
        String ticket = isPush(request) ? request.getParameter(TICKET) : null;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                refuse(request, response, Authenticator.invalidKey("Send the API key as 'Authorization: Bearer <key>'"));
                return;
            }
            Authenticator.Verdict verdict = authenticator.bearer(authorization.substring(BEARER.length()).trim());
            if (verdict.refusal() != null) {
                refuse(request, response, verdict.refusal());
                return;
            }
            authenticate(verdict.caller());
        } else if (ticket != null) {
            Caller caller = tickets.redeem(ticket).filter(authenticator::isStillValid).orElse(null);
            if (caller == null) {
                refuse(request, response, Authenticator.invalidKey("The ticket is unknown, used already, or older than "
                        + WsTickets.VALID.toSeconds() + " s: get a new one with POST /api/ws-tickets"));
                return;
            }
            authenticate(caller);
        } else if (BrowserSession.key(request).isPresent() && !isSignInOrOut(request)) {
            if (BrowserSession.changesSomething(request) && (!BrowserSession.hasCsrfToken(request)
                    || !origins.allowsOrigin(origin, request.getScheme(), host(request)))) {
                refuse(request, response, ApiException.forbidden("A signed-in browser's request that changes something "
                        + "needs the session's CSRF token in the " + BrowserSession.CSRF_HEADER + " header (from the "
                        + BrowserSession.CSRF_COOKIE + " cookie), from the service's own pages"));
                return;
            }
            Authenticator.Verdict verdict = authenticator.bearer(BrowserSession.key(request).get());
            if (verdict.refusal() != null) {
                refuse(request, response, verdict.refusal());
                return;
            }
            authenticate(verdict.caller());
        } else if (authenticator.mode() == Authenticator.Mode.PROTECTED && isFromThisMachine(request)) {
            if (!origins.allowsOrigin(origin, request.getScheme(), host(request)) || !origins.allowsLocalHost(host(request))) {
                refuse(request, response, ApiException.forbidden("Protected mode answers pages of this machine only: Host "
                        + host(request) + (origin == null ? "" : " and Origin " + origin) + " are not loopback ones "
                        + "(add an origin to JOBLINE_ALLOWED_ORIGINS, or use an API key)"));
                return;
            }
            authenticate(Caller.localAdmin());
        }
        chain.doFilter(request, response);
    }

    /** Signing in or out, where an old session's cookie (a revoked key, an expired token) must not be in the way. */
    private static boolean isSignInOrOut(HttpServletRequest request) {
        String path = request.getRequestURI();
        return "/api/session".equals(path) || path.startsWith(OidcLoginController.START + "/")
                || path.equals(OidcLoginController.START);
    }

    /**
     * A client on this machine, talking to the service directly: a loopback peer on a loopback address of the
     * service, and no proxy's forwarding headers (a reverse proxy on this machine would otherwise make every client of
     * the world a local one).
     */
    static boolean isFromThisMachine(HttpServletRequest request) {
        return AllowedOrigins.isLoopbackAddress(request.getRemoteAddr())
                && AllowedOrigins.isLoopbackAddress(request.getLocalAddr())
                && request.getHeader("Forwarded") == null && request.getHeader("X-Forwarded-For") == null
                && request.getHeader("X-Real-IP") == null;
    }

    private static String host(HttpServletRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        return host == null ? "" : host;
    }

    private static void authenticate(Caller caller) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller));
        SecurityContextHolder.setContext(context);
    }

    static void refuse(HttpServletRequest request, HttpServletResponse response, ApiException problem) throws IOException {
        if (problem.status() == HttpStatus.UNAUTHORIZED) {
            Object error = problem.properties().get("error");
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"jobline\"" + (error == null ? "" : ", error=\"" + error + "\""));
        }
        ProblemResponses.write(response, problem, request.getRequestURI());
    }
}
