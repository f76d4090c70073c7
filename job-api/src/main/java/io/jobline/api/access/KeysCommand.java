package io.jobline.api.access;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * {@code java -jar job-api.jar keys create|list|revoke ...}: manages API keys through the running service's
 * {@code /api/keys}, over loopback by default. In protected mode a client on the service's machine is its admin, so
 * this is how the first key is made; later calls need an admin key in {@code JOBLINE_API_KEY}.
 *
 * <p>It goes through the service rather than writing to api-keys itself: the service checks the request, makes and
 * hashes the key, and answers once it applies; the command needs no Kafka settings, and the embedded broker (which
 * runs inside the service) needs no client of its own.
 */
public final class KeysCommand {

    static final String USAGE = """
            Usage: java -jar job-api.jar keys <command> [--url URL]
              create --owner NAME --scopes SCOPE[,SCOPE...] [--types TYPE[,TYPE...]] [--expires-at INSTANT | --expires-in 30d]
                     [--submits-per-second N] [--active-jobs N] [--upload-bytes SIZE]
              list
              revoke KEY_ID
            Scopes: %s. --types limits a worker key to those job types.
            --submits-per-second, --active-jobs, --upload-bytes (like 500MB): the key's own quotas, in place of its
            owner's (0: no limit); each one left out is the owner's.
            --url: the service (default http://127.0.0.1:$PORT, PORT defaulting to 8080). From a client on the
            service's machine in protected mode no key is needed; otherwise set JOBLINE_API_KEY to an admin key.
            """.formatted(Scope.names());

    /** What to send: method, path under the service's URL, JSON body (null: none), what to say on an empty answer. */
    record Call(String method, String path, String body, String done) {
    }

    private KeysCommand() {
    }

    /** @return the process's exit code: 0 done, 1 refused or failed, 2 wrong usage */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String url;
        Call call;
        try {
            url = option(rest, "--url");
            call = call(rest, Instant.now());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String base = url != null ? url : "http://127.0.0.1:" + env.getOrDefault("PORT", "8080");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        String key = env.get("JOBLINE_API_KEY");
        if (key != null && !key.isBlank()) {
            request.header("Authorization", "Bearer " + key.trim());
        }
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("Cannot reach the service at " + base + ": " + e + " (is it running? --url)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (response.statusCode() >= 300) {
            err.println(response.statusCode() + ": " + detail(response.body()));
            return 1;
        }
        out.println(response.body().isEmpty() ? call.done() : Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(Json.parse(response.body())));
        return 0;
    }

    /** The call a command line asks for; throws IllegalArgumentException saying what is wrong with it. */
    static Call call(List<String> args, Instant now) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("Name a command: create, list or revoke");
        }
        List<String> rest = new ArrayList<>(args);
        String command = rest.remove(0);
        return switch (command) {
            case "create" -> create(rest, now);
            case "list" -> {
                requireNoMore(rest);
                yield new Call("GET", "/api/keys", null, null);
            }
            case "revoke" -> {
                if (rest.size() != 1 || rest.get(0).startsWith("--")) {
                    throw new IllegalArgumentException("revoke takes the id of one key");
                }
                yield new Call("DELETE", "/api/keys/" + rest.get(0), null, "Revoked key " + rest.get(0));
            }
            default -> throw new IllegalArgumentException("Unknown command '" + command + "'");
        };
    }

    private static Call create(List<String> rest, Instant now) {
        String owner = option(rest, "--owner");
        String scopes = option(rest, "--scopes");
        String types = option(rest, "--types");
        String expiresAt = option(rest, "--expires-at");
        String expiresIn = option(rest, "--expires-in");
        Map<String, Object> quotas = new LinkedHashMap<>();
        String perSecond = option(rest, "--submits-per-second");
        if (perSecond != null) {
            quotas.put("submits_per_second", count(perSecond, "--submits-per-second", Integer.MAX_VALUE));
        }
        String active = option(rest, "--active-jobs");
        if (active != null) {
            quotas.put("active_jobs", count(active, "--active-jobs", Long.MAX_VALUE));
        }
        String uploadBytes = option(rest, "--upload-bytes");
        if (uploadBytes != null) {
            try {
                long bytes = org.springframework.util.unit.DataSize.parse(uploadBytes).toBytes();
                if (bytes < 0) {
                    throw new IllegalArgumentException();
                }
                quotas.put("upload_bytes", bytes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--upload-bytes must be a size like 1048576, 500MB or 10GB");
            }
        }
        requireNoMore(rest);
        if (owner == null || scopes == null) {
            throw new IllegalArgumentException("create needs --owner and --scopes");
        }
        if (expiresAt != null && expiresIn != null) {
            throw new IllegalArgumentException("Give --expires-at or --expires-in, not both");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("scopes", list(scopes));
        if (types != null) {
            body.put("types", list(types));
        }
        if (!quotas.isEmpty()) {
            body.put("quotas", quotas);
        }
        if (expiresAt != null) {
            try {
                body.put("expires_at", Instant.parse(expiresAt).toString());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--expires-at must be an instant like 2027-01-31T00:00:00Z");
            }
        } else if (expiresIn != null) {
            body.put("expires_at", now.plus(duration(expiresIn)).toString());
        }
        return new Call("POST", "/api/keys", Json.write(Json.MAPPER.valueToTree(body)), null);
    }

    /** A whole number from 0 to {@code max}. */
    private static long count(String text, String name, long max) {
        if (text.matches("[0-9]{1,19}")) {
            try {
                long n = Long.parseLong(text);
                if (n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // past a long: refused below
            }
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max);
    }

    /** 90s, 30m, 12h or 30d. */
    static Duration duration(String text) {
        if (text.matches("[1-9][0-9]{0,6}[smhd]")) {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        throw new IllegalArgumentException("--expires-in must be like 90s, 30m, 12h or 30d");
    }

    /** Removes {@code --name value} from {@code args} and returns the value; null when absent. */
    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        args.remove(at);
        return args.remove(at);
    }

    private static void requireNoMore(List<String> rest) {
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("Unexpected " + rest);
        }
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String detail(String body) {
        try {
            JsonNode problem = Json.parse(body);
            return problem.path("detail").asString(body);
        } catch (RuntimeException e) {
            return body;
        }
    }
}
