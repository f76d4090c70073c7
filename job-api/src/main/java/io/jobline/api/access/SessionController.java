package io.jobline.api.access;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Problems;
import io.jobline.api.openapi.Public;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.system.JoblineProperties;

/**
 * POST /api/session signs a browser in with a key ({@link BrowserSession}); DELETE /api/session signs it out; GET
 * /api/session says where else it may sign in ({@link OidcLoginController}).
 */
@RestController
@Tag(name = "access")
class SessionController {

    private final Authenticator authenticator;
    private final AllowedOrigins origins;
    private final boolean oidcLogin;

    SessionController(Authenticator authenticator, AllowedOrigins origins, JoblineProperties properties) {
        this.authenticator = authenticator;
        this.origins = origins;
        this.oidcLogin = properties.access().oidc().enabled();
    }

    /** How a browser may sign in here: with a key always, and at the identity provider where one is configured. */
    record SignInOptions(@Schema(nullable = true, description = "Where to sign in at the identity provider; null when "
            + "not configured") String oidcLogin) {
    }

    @GetMapping("/api/session")
    @Public
    @Operation(operationId = "getSignInOptions", summary = "How a browser may sign in here")
    @ApiResponse(responseCode = "200", description = "The sign-in options")
    SignInOptions options() {
        return new SignInOptions(oidcLogin ? OidcLoginController.START : null);
    }

    record SignIn(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "An API key") String key) {
    }

    record Session(String owner, List<String> scopes) {
    }

    @PostMapping("/api/session")
    @Public
    @Operation(operationId = "signIn", summary = "Sign a browser in with a key", description = "Sets the HttpOnly session "
            + "cookie (jobline_session) and the CSRF cookie (jobline_csrf) whose value a changing request sends back in "
            + "X-CSRF-Token.")
    @ApiResponse(responseCode = "200", description = "Signed in", headers = @io.swagger.v3.oas.annotations.headers.Header(
            name = "Set-Cookie", description = "The session and CSRF cookies", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "401", description = "The key is unknown, revoked or expired")
    @ApiResponse(responseCode = "403", description = "From a foreign Origin")
    @Problems({400, 401, 403, 413})
    ResponseEntity<Session> signIn(@RequestBody SignIn body, HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        String host = request.getHeader(HttpHeaders.HOST);
        if (!origins.allowsOrigin(origin, request.getScheme(), host == null ? "" : host)) {
            throw ApiException.forbidden("Origin " + origin + " may not sign in here");
        }
        if (body == null || body.key() == null || body.key().isBlank()) {
            throw ApiException.badRequest("The body must be {\"key\": \"<API key>\"}");
        }
        Authenticator.Verdict verdict = authenticator.bearer(body.key().trim());
        if (verdict.refusal() != null) {
            throw verdict.refusal();
        }
        Caller caller = verdict.caller();
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        for (ResponseCookie cookie : BrowserSession.start(body.key().trim(), caller, request.isSecure(), java.time.Instant.now())) {
            answer.header(HttpHeaders.SET_COOKIE, cookie.toString());
        }
        return answer.body(new Session(caller.owner(), caller.scopes().stream().map(Scope::wireName).sorted().toList()));
    }

    @DeleteMapping("/api/session")
    @Public
    @Operation(operationId = "signOut", summary = "Sign a browser out", description = "Clears the session's cookies.")
    @ApiResponse(responseCode = "204", description = "Signed out")
    ResponseEntity<Void> signOut(HttpServletRequest request) {
        ResponseEntity.HeadersBuilder<?> answer = ResponseEntity.noContent();
        for (ResponseCookie cookie : BrowserSession.end(request.isSecure())) {
            answer.header(HttpHeaders.SET_COOKIE, cookie.toString());
        }
        return answer.build();
    }
}
