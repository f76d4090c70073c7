package io.jobline.api.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import io.jobline.api.system.JoblineProperties;

/**
 * Callers from OIDC/JWT bearer tokens: signed by a key of the configured JWK set (or the issuer's), from the
 * configured issuer, for the configured audience, not expired. The owner is a claim ({@code sub} by default), the
 * scopes are the token's {@code scope} (space-separated) or {@code scp} (a list) that name Jobline's scopes, and a
 * worker's job types are its {@code jobline_types} claim.
 */
final class JwtCallers {

    static final String TYPES_CLAIM = "jobline_types";

    private final JoblineProperties.Access.Jwt settings;
    private volatile JwtDecoder decoder;

    JwtCallers(JoblineProperties.Access.Jwt settings) {
        this.settings = settings;
    }

    boolean enabled() {
        return settings.enabled();
    }

    /** Whether a bearer token is a JWT (three dot-separated parts) rather than an API key. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    Authenticator.Verdict verify(String token) {
        Jwt jwt;
        try {
            jwt = decoder().decode(token);
        } catch (JwtValidationException e) {
            return Authenticator.Verdict.refused(Authenticator.invalidKey("The token is not valid here: "
                    + String.join("; ", e.getErrors().stream().map(error -> error.getDescription()).toList())));
        } catch (JwtException e) {
            return Authenticator.Verdict.refused(Authenticator.invalidKey("The token could not be verified: " + e.getMessage()));
        }
        String owner = jwt.getClaimAsString(settings.ownerClaim());
        if (owner == null || owner.isBlank()) {
            return Authenticator.Verdict.refused(Authenticator.invalidKey("The token has no '" + settings.ownerClaim()
                    + "' claim to name its owner"));
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : scopeNames(jwt)) {
            try {
                scopes.add(Scope.fromWireName(name));
            } catch (IllegalArgumentException e) {
                // A scope of another service the token is also for.
            }
        }
        List<String> types = jwt.getClaimAsStringList(TYPES_CLAIM);
        String id = jwt.getId() != null ? jwt.getId() : owner;
        return Authenticator.Verdict.of(new Caller(owner, scopes, types == null ? Set.of() : Set.copyOf(types),
                "jwt:" + id, jwt.getExpiresAt()));
    }

    private static Collection<String> scopeNames(Jwt jwt) {
        List<String> names = new ArrayList<>();
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            names.addAll(List.of(text.trim().split("\\s+")));
        } else if (scope instanceof Collection<?> list) {
            list.forEach(item -> names.add(String.valueOf(item)));
        }
        List<String> scp = jwt.getClaimAsStringList("scp");
        if (scp != null) {
            names.addAll(scp);
        }
        return names;
    }

    /** Made at first use: with only an issuer, its OpenID configuration is read then, not at start. */
    private JwtDecoder decoder() {
        JwtDecoder made = decoder;
        if (made == null) {
            synchronized (this) {
                if (decoder == null) {
                    decoder = build();
                }
                made = decoder;
            }
        }
        return made;
    }

    private JwtDecoder build() {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(settings.issuerUri() == null ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(settings.issuerUri()));
        if (settings.audience() != null) {
            validators.add(new JwtClaimValidator<List<String>>("aud",
                    aud -> aud != null && aud.contains(settings.audience())));
        }
        if (settings.jwkSetUri() == null) {
            JwtDecoder fromIssuer = JwtDecoders.fromIssuerLocation(settings.issuerUri());
            if (fromIssuer instanceof NimbusJwtDecoder nimbus) {
                nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            }
            return fromIssuer;
        }
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return nimbus;
    }
}
