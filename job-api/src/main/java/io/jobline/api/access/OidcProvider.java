package io.jobline.api.access;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.support.Json;

/**
 * The identity provider as the dashboard's sign-in talks to it: where to send the browser (from the issuer's OpenID
 * configuration, read at the first sign-in and kept), and the exchange of the code it sends back for tokens.
 */
final class OidcProvider {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String issuer;
    private final JoblineProperties.Access.Oidc client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private volatile Endpoints endpoints;

    record Endpoints(String authorization, String token) {
    }

    OidcProvider(String issuer, JoblineProperties.Access.Oidc client) {
        this.issuer = issuer;
        this.client = client;
    }

    /** The provider's page that signs the user in and sends the browser back to {@code redirectUri} with a code. */
    URI authorization(String redirectUri, String state, String codeChallenge) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", client.scopes());
        query.put("state", state);
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", "S256");
        String endpoint = endpoints().authorization();
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query));
    }

    /** The access token the provider gives for {@code code}, or a problem saying why there is none. */
    String accessToken(String code, String redirectUri, String codeVerifier) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        body.put("code_verifier", codeVerifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoints().token())).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (client.clientSecret() == null) {
            body.put("client_id", client.clientId());
        } else {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(client.clientId()) + ":" + encode(client.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode answer = send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), "token");
        JsonNode token = answer.get("access_token");
        if (token == null || !token.isString()) {
            throw Authenticator.invalidKey("The identity provider gave no access token: "
                    + (answer.has("error") ? answer.get("error").asString() + " " + answer.path("error_description").asString("")
                    : "its answer has no 'access_token'"));
        }
        return token.asString();
    }

    private Endpoints endpoints() {
        Endpoints known = endpoints;
        if (known == null) {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            JsonNode configuration = send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                    .timeout(TIMEOUT).header("Accept", "application/json").GET().build(), "OpenID configuration");
            String authorization = configuration.path("authorization_endpoint").asString(null);
            String token = configuration.path("token_endpoint").asString(null);
            if (authorization == null || token == null) {
                throw ApiException.unavailable("The identity provider's OpenID configuration names no authorization or "
                        + "token endpoint");
            }
            known = new Endpoints(authorization, token);
            endpoints = known;
        }
        return known;
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ApiException.unavailable("The identity provider's " + what + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while asking the identity provider");
        }
        JsonNode body;
        try {
            body = Json.parse(response.body());
        } catch (RuntimeException e) {
            throw ApiException.unavailable("The identity provider's " + what + " is not JSON (HTTP " + response.statusCode() + ")");
        }
        if (response.statusCode() / 100 != 2 && !body.has("error")) {
            throw ApiException.unavailable("The identity provider answered its " + what + " with HTTP " + response.statusCode());
        }
        return body;
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
