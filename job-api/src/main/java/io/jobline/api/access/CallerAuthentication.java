package io.jobline.api.access;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request's authentication: its {@link Caller}, with the key's scopes as authorities. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(authorities(caller));
        this.caller = caller;
        setAuthenticated(true);
    }

    /** The scopes, and ROLE_ADMIN for an admin: what Boot's actuator checks its {@code roles} against. */
    private static java.util.List<SimpleGrantedAuthority> authorities(Caller caller) {
        java.util.List<SimpleGrantedAuthority> authorities = new java.util.ArrayList<>(
                caller.scopes().stream().map(s -> new SimpleGrantedAuthority(s.wireName())).toList());
        if (caller.isAdmin()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        return authorities;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return caller.owner();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallerAuthentication that && caller.equals(that.caller);
    }

    @Override
    public int hashCode() {
        return caller.hashCode();
    }
}
