package io.jobline.api.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description springdoc serves at {@code /v3/api-docs} (docs/openapi.json is a copy, checked by
 * OpenApiIT): the controllers' annotations, plus what holds for every operation, added here: the security schemes,
 * 401/403 on every operation that needs a key, the {@link Problems} an operation declares, snake_case members, and
 * every member of a response as required (the API's JSON mapper writes nulls too).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String API_KEY = "api_key";
    static final String JWT = "jwt";
    static final String SESSION = "session";
    static final String CSRF = "csrf";
    static final String TICKET = "ticket";

    static {
        // Jackson 3 trees: swagger-core (Jackson 2) cannot introspect them. A tree is any JSON value, an ObjectNode
        // an object.
        org.springdoc.core.utils.SpringDocUtils.getConfig()
                .replaceWithSchema(JsonNode.class, new JsonSchema())
                .replaceWithSchema(ObjectNode.class, new JsonSchema().types(new LinkedHashSet<>(List.of("object"))));
    }

    /** Schemas of documentation only, which no controller method names: added to the components. */
    private static final List<Class<?>> DOCUMENTATION = List.of(Problem.class, JobEvent.class);

    private static final Map<Integer, String> PROBLEM_DESCRIPTIONS = Map.ofEntries(
            Map.entry(400, "Bad request: the problem's detail says what is wrong"),
            Map.entry(401, "No credentials from a client that needs them, or an unknown, revoked or expired key or token "
                    + "(with WWW-Authenticate: Bearer)"),
            Map.entry(403, "The key lacks the scope this needs (or a signed-in browser's change came without its CSRF token or "
                    + "from a foreign Origin)"),
            Map.entry(404, "Not found (another owner's job is not found either)"),
            Map.entry(409, "Conflicts with the current state: the problem says which"),
            Map.entry(413, "The body is over the size limit"),
            Map.entry(415, "The body's Content-Type is not one this operation takes"),
            Map.entry(422, "Well-formed, but not acceptable: the problem says why"),
            Map.entry(429, "A limit was reached; Retry-After says when to try again"),
            Map.entry(503, "Kafka did not confirm in time, or the projections are catching up after a start; Retry-After says when to "
                    + "try again"));

    @Bean
    OpenAPI joblineOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Jobline API").version("1")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0"))
                        .description(DESCRIPTION))
                // Relative, so the description does not depend on the port or host it was fetched from.
                .servers(List.of(new Server().url("/")))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("jl_<id>_<secret>")
                                .description("An API key (POST /api/keys) as 'Authorization: Bearer <key>'"))
                        .addSecuritySchemes(JWT, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT")
                                .description("An access token of the identity provider of JOBLINE_JWT_ISSUER_URI (when set): "
                                        + "owner from JOBLINE_JWT_OWNER_CLAIM, scopes from scope/scp"))
                        .addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.COOKIE).name("jobline_session")
                                .description("A signed-in browser's session cookie (POST /api/session)"))
                        .addSecuritySchemes(CSRF, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-CSRF-Token")
                                .description("With the session cookie, on a request that changes something: the value of "
                                        + "the jobline_csrf cookie"))
                        .addSecuritySchemes(TICKET, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.QUERY).name("ticket")
                                .description("A one-time ticket (POST /api/ws-tickets) for a WebSocket or SSE handshake")));
    }

    private static final String DESCRIPTION = """
            Background jobs on Apache Kafka: submit a job and get its id at once, follow it, fetch its result and \
            files, cancel, retry or delete it; external workers take jobs of their types over the worker protocol.

            Every answer is JSON with snake_case members; every error is an RFC 9457 `application/problem+json` \
            problem (schema `Problem`).

            **Access.** Send an API key or an identity provider's JWT as `Authorization: Bearer <key>`, or, from a \
            signed-in browser, the session cookie (with the `X-CSRF-Token` header on a request that changes \
            something). Until the first key exists the service is in protected mode: it answers clients on its own \
            machine (loopback) without credentials, as an admin, and nobody else. Scopes: `jobs:read`, \
            `jobs:write`, `worker`, `admin` (README: Access).

            **Live updates.** `GET /api/jobs/stream` and `GET /api/jobs/{id}/stream` are Server-Sent Events \
            (`text/event-stream`). The WebSocket `/ws` carries the same messages: subscribe to a job or to all of \
            the caller's jobs (docs/design.md). A browser, which cannot send a header there, opens either with \
            `?ticket=` from `POST /api/ws-tickets`.

            The service's health is at `/actuator/health` (public), its metrics at `/actuator/metrics` and \
            `/actuator/prometheus` (admin).""";

    /** Members in snake_case, as the API's JSON mapper writes them (spring.jackson.property-naming-strategy). */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        ObjectMapper mapper = Json31.mapper().copy();
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return new ModelResolver(mapper).openapi31(true);
    }

    /**
     * A member marked {@code @Schema(nullable = true)} may be null: in OpenAPI 3.1, "null" is one of its types. A
     * Jackson 3 tree ({@code JsonNode}) is any JSON value, unless its {@code @Schema} names a type.
     */
    @Bean
    PropertyCustomizer nullableMembersAndTrees() {
        return (property, type) -> {
            if (property == null) {
                return property;
            }
            io.swagger.v3.oas.annotations.media.Schema annotation = schemaAnnotation(type);
            Schema<?> result = property;
            if (isTree(type) && (annotation == null || (annotation.type().isEmpty() && annotation.types().length == 0
                    && annotation.implementation() == Void.class))) {
                result = new JsonSchema().description(property.getDescription());
            }
            return annotation != null && annotation.nullable() ? Nullables.allowNull(result) : result;
        };
    }

    private static boolean isTree(AnnotatedType type) {
        java.lang.reflect.Type javaType = type.getType();
        Class<?> raw = javaType instanceof com.fasterxml.jackson.databind.JavaType jackson ? jackson.getRawClass()
                : javaType instanceof Class<?> c ? c : null;
        return raw != null && JsonNode.class.isAssignableFrom(raw) && !ObjectNode.class.isAssignableFrom(raw);
    }

    private static io.swagger.v3.oas.annotations.media.Schema schemaAnnotation(AnnotatedType type) {
        if (type.getCtxAnnotations() != null) {
            for (var annotation : type.getCtxAnnotations()) {
                if (annotation instanceof io.swagger.v3.oas.annotations.media.Schema schema) {
                    return schema;
                }
            }
        }
        return null;
    }

    /** Security and the problems, on every operation. */
    @Bean
    OperationCustomizer securityAndProblems() {
        return (operation, handler) -> {
            boolean isPublic = handler.hasMethodAnnotation(Public.class);
            // Any request can be malformed (a URL the firewall refuses, a body that cannot be read).
            Set<Integer> statuses = new java.util.TreeSet<>(List.of(400));
            if (!isPublic) {
                statuses.add(401);
                statuses.add(403);
                boolean reads = handler.hasMethodAnnotation(GetMapping.class);
                List<SecurityRequirement> security = new ArrayList<>();
                List<SecurityRequirement> declared = operation.getSecurity() == null ? List.of() : operation.getSecurity();
                security.add(new SecurityRequirement().addList(API_KEY));
                security.add(new SecurityRequirement().addList(JWT));
                security.add(reads ? new SecurityRequirement().addList(SESSION)
                        : new SecurityRequirement().addList(SESSION).addList(CSRF));
                security.addAll(declared);
                operation.setSecurity(security);
            } else {
                operation.setSecurity(List.of());
            }
            Problems problems = handler.getMethodAnnotation(Problems.class);
            if (problems != null) {
                for (int status : problems.value()) {
                    statuses.add(status);
                }
            }
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            for (int status : statuses) {
                ApiResponse response = responses.get(Integer.toString(status));
                if (response == null) {
                    response = new ApiResponse().description(PROBLEM_DESCRIPTIONS.getOrDefault(status, "An error"));
                    responses.addApiResponse(Integer.toString(status), response);
                }
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
            }
            operation.setResponses(sorted(responses));
            return operation;
        };
    }

    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses ordered = new ApiResponses();
        new TreeMap<>(responses).forEach(ordered::addApiResponse);
        return ordered;
    }

    /**
     * The Problem schema, and every member of a response's schema required: a response is a record, and the API's
     * mapper writes every component of it, null or not. Request schemas keep their members optional.
     */
    @Bean
    OpenApiCustomizer responseMembersRequired() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas() == null ? new LinkedHashMap<>()
                    : openApi.getComponents().getSchemas();
            DOCUMENTATION.forEach(type ->
                    ModelConverters.getInstance(true).readAll(new AnnotatedType(type)).forEach(schemas::putIfAbsent));
            Set<String> used = new HashSet<>();
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().values().forEach(media -> collect(media.getSchema(), schemas, used));
                }
                operation.getResponses().values().forEach(response -> {
                    if (response.getContent() != null) {
                        response.getContent().values().forEach(media -> collect(media.getSchema(), schemas, used));
                    }
                });
            }));
            // What a method's Java signature made but its annotations replaced (SseEmitter, a body read as a tree).
            schemas.keySet().retainAll(used);
            openApi.getComponents().setSchemas(new TreeMap<>(schemas));
            if (openApi.getTags() != null) {
                openApi.getTags().sort(java.util.Comparator.comparing(io.swagger.v3.oas.models.tags.Tag::getName));
            }
            schemas.values().forEach(OpenApiConfiguration::nullableReferences);
            Set<String> inResponses = new HashSet<>();
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    operation.getResponses().values().forEach(response -> {
                        if (response.getContent() != null) {
                            response.getContent().values().forEach(media -> collect(media.getSchema(), schemas, inResponses));
                        }
                    })));
            inResponses.remove("Problem");
            for (String name : inResponses) {
                Schema<?> schema = schemas.get(name);
                if (schema != null && schema.getProperties() != null) {
                    schema.setRequired(new ArrayList<>(new java.util.TreeSet<>(schema.getProperties().keySet())));
                }
            }
        };
    }

    /** A nullable member that refers to a schema: either that schema or null (a $ref takes no "type" beside it). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void nullableReferences(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        Map<String, Schema> members = (Map) schema.getProperties();
        members.replaceAll((name, member) -> {
            if (member.get$ref() == null || member.getTypes() == null || !member.getTypes().contains("null")) {
                return member;
            }
            Schema either = new JsonSchema();
            either.setAnyOf(List.of(new JsonSchema().$ref(member.get$ref()), new JsonSchema().types(new LinkedHashSet<>(List.of("null")))));
            either.setDescription(member.getDescription());
            return either;
        });
    }

    private static void collect(Schema<?> schema, Map<String, Schema> schemas, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (names.add(name)) {
                collect(schemas.get(name), schemas, names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(member -> collect(member, schemas, names));
        }
        collect(schema.getItems(), schemas, names);
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            collect(values, schemas, names);
        }
        for (List<Schema> alternatives : java.util.Arrays.asList(schema.getOneOf(), schema.getAnyOf(), schema.getAllOf())) {
            if (alternatives != null) {
                alternatives.forEach(alternative -> collect(alternative, schemas, names));
            }
        }
    }
}
