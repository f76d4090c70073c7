package io.jobline.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseCookie;

/**
 * A browser signed in with a key: the key in an HttpOnly, SameSite=Strict cookie (scripts cannot read it, other
 * sites' requests do not carry it), and a CSRF token in a cookie the page's script reads and sends back as a header
 * on every request that changes something (a form of another site cannot). Nothing is kept on the server, so any
 * instance takes the cookie; revoking the key ends the session at the next request.
 */
final class BrowserSession {

    static final String KEY_COOKIE = "jobline_session";
    static final String CSRF_COOKIE = "jobline_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** A session lasts this long at most, or until its key expires. */
    static final Duration LONGEST = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BrowserSession() {
    }

    static Optional<String> key(HttpServletRequest request) {
        return cookie(request, KEY_COOKIE);
    }

    /** Whether a request that may change something carries the session's CSRF token in its header. */
    static boolean hasCsrfToken(HttpServletRequest request) {
        String header = request.getHeader(CSRF_HEADER);
        Optional<String> cookie = cookie(request, CSRF_COOKIE);
        return header != null && cookie.isPresent() && MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), cookie.get().getBytes(StandardCharsets.UTF_8));
    }

    static boolean changesSomething(HttpServletRequest request) {
        String method = request.getMethod();
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    /** The two cookies of a session for {@code caller}'s key. */
    static ResponseCookie[] start(String key, Caller caller, boolean secure, Instant now) {
        Duration life = LONGEST;
        if (caller.expiresAt() != null && Duration.between(now, caller.expiresAt()).compareTo(life) < 0) {
            life = Duration.between(now, caller.expiresAt());
        }
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        return new ResponseCookie[] {
            ResponseCookie.from(KEY_COOKIE, key).httpOnly(true).secure(secure).sameSite("Strict").path("/").maxAge(life).build(),
            ResponseCookie.from(CSRF_COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(token))
                    .httpOnly(false).secure(secure).sameSite("Strict").path("/").maxAge(life).build()
        };
    }

    static ResponseCookie[] end(boolean secure) {
        return new ResponseCookie[] {
            ResponseCookie.from(KEY_COOKIE, "").httpOnly(true).secure(secure).sameSite("Strict").path("/").maxAge(0).build(),
            ResponseCookie.from(CSRF_COOKIE, "").secure(secure).sameSite("Strict").path("/").maxAge(0).build()
        };
    }

    static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
