package io.jobline.api.access;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

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
 * The dashboard's sign-in at the identity provider: the authorization code flow with PKCE. {@code GET
 * /api/session/oidc} sends the browser to the provider with a fresh state and code challenge, kept in a short-lived
 * HttpOnly cookie of this path only; the provider sends it back to {@code /api/session/oidc/callback} with a code,
 * which is exchanged (with the verifier) for an access token. That token, checked as any bearer token, becomes the
 * browser's session ({@link BrowserSession}), so the session ends when the token expires.
 */
@RestController
@Tag(name = "access")
class OidcLoginController {

    static final String START = "/api/session/oidc";
    static final String CALLBACK = START + "/callback";
    static final String FLOW_COOKIE = "jobline_oidc";
    private static final Duration FLOW_LIFE = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authenticator authenticator;
    private final JoblineProperties.Access.Oidc settings;
    private final OidcProvider provider;

    OidcLoginController(Authenticator authenticator, JoblineProperties properties) {
        this.authenticator = authenticator;
        this.settings = properties.access().oidc();
        this.provider = settings.enabled() ? new OidcProvider(properties.access().jwt().issuerUri(), settings) : null;
    }

    @GetMapping(START)
    @Public
    @Operation(operationId = "startOidcSignIn", summary = "Sign a browser in at the identity provider",
            description = "Redirects to the provider (authorization code with PKCE). 404 where it is not configured.")
    @ApiResponse(responseCode = "302", description = "To the identity provider", headers = @io.swagger.v3.oas.annotations.headers.Header(
            name = "Location", schema = @Schema(types = "string")))
    @Problems({404})
    ResponseEntity<Void> start(HttpServletRequest request) {
        requireEnabled();
        String state = random();
        String verifier = random();
        URI authorization = provider.authorization(redirectUri(), state, challenge(verifier));
        // Lax, not Strict: the browser must send it on the provider's redirect back, a navigation from another site.
        ResponseCookie flow = ResponseCookie.from(FLOW_COOKIE, state + "." + verifier).httpOnly(true)
                .secure(request.isSecure()).sameSite("Lax").path(START).maxAge(FLOW_LIFE).build();
        return ResponseEntity.status(HttpStatus.FOUND).location(authorization)
                .header(HttpHeaders.SET_COOKIE, flow.toString()).build();
    }

    @GetMapping(CALLBACK)
    @Public
    @Operation(operationId = "finishOidcSignIn", summary = "Where the identity provider sends the browser back",
            description = "Exchanges the code for an access token, which becomes the session cookie, and redirects to /.")
    @ApiResponse(responseCode = "302", description = "Signed in: to the dashboard", headers = @io.swagger.v3.oas.annotations.headers.Header(
            name = "Location", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "401", description = "The provider did not sign the user in, or its token is not accepted")
    @Problems({400, 401, 404})
    ResponseEntity<Void> callback(@RequestParam(required = false) String code, @RequestParam(required = false) String state,
                                  @RequestParam(required = false) String error,
                                  @RequestParam(name = "error_description", required = false) String errorDescription,
                                  HttpServletRequest request) {
        requireEnabled();
        if (error != null) {
            throw Authenticator.invalidKey("The identity provider did not sign you in: " + error
                    + (errorDescription == null ? "" : " (" + errorDescription + ")"));
        }
        String[] flow = BrowserSession.cookie(request, FLOW_COOKIE).map(value -> value.split("\\.", 2)).filter(parts -> parts.length == 2)
                .orElseThrow(() -> ApiException.badRequest("No sign-in is under way in this browser (or it took longer than "
                        + FLOW_LIFE.toMinutes() + " minutes): start again at " + START));
        if (code == null || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                flow[0].getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.badRequest("This answer is not for the sign-in this browser started (its state differs): "
                    + "start again at " + START);
        }
        String token = provider.accessToken(code, redirectUri(), flow[1]);
        Authenticator.Verdict verdict = authenticator.bearer(token);
        if (verdict.refusal() != null) {
            throw Authenticator.invalidKey("The identity provider's access token is not accepted here ("
                    + verdict.refusal().getMessage() + "): it must be a JWT for this service's audience");
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/"));
        for (ResponseCookie cookie : BrowserSession.start(token, verdict.caller(), request.isSecure(), Instant.now())) {
            answer.header(HttpHeaders.SET_COOKIE, cookie.toString());
        }
        answer.header(HttpHeaders.SET_COOKIE, ResponseCookie.from(FLOW_COOKIE, "").httpOnly(true)
                .secure(request.isSecure()).sameSite("Lax").path(START).maxAge(0).build().toString());
        return answer.build();
    }

    private void requireEnabled() {
        if (provider == null) {
            throw ApiException.notFound("Not configured", "Sign-in through an identity provider is not configured here "
                    + "(JOBLINE_OIDC_CLIENT_ID with JOBLINE_JWT_ISSUER_URI)");
        }
    }

    private String redirectUri() {
        return settings.redirectUri() != null ? settings.redirectUri()
                : ServletUriComponentsBuilder.fromCurrentContextPath().path(CALLBACK).toUriString();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The PKCE S256 challenge of a verifier. */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
