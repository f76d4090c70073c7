package io.jobline.api.access;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * A rule of the access table: the request needs a caller with one of these scopes (none listed: any caller). A
 * refusal leaves what was needed on the request, for the 403's detail.
 */
final class Needs implements AuthorizationManager<RequestAuthorizationContext> {

    /** The request attribute that names the scopes a refused request needed. */
    static final String NEEDED = Needs.class.getName() + ".needed";

    private final List<Scope> anyOf;

    private Needs(List<Scope> anyOf) {
        this.anyOf = anyOf;
    }

    static Needs anyOf(Scope... scopes) {
        return new Needs(List.of(scopes));
    }

    static Needs anyCaller() {
        return new Needs(List.of());
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        if (!(authentication.get() instanceof CallerAuthentication auth)) {
            return new AuthorizationDecision(false);
        }
        Caller caller = auth.getPrincipal();
        boolean granted = anyOf.isEmpty() || anyOf.stream().anyMatch(caller::has);
        if (!granted) {
            context.getRequest().setAttribute(NEEDED, anyOf.stream().map(Scope::wireName).collect(Collectors.joining(" or ")));
        }
        return new AuthorizationDecision(granted);
    }

    @Override
    public String toString() {
        return anyOf.isEmpty() ? "any caller" : Arrays.toString(anyOf.toArray());
    }
}
