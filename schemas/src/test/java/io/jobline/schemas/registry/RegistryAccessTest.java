package io.jobline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import tools.jackson.databind.json.JsonMapper;

/**
 * A Schema Registry that wants credentials, or TLS with a private CA: the client sends what its settings (named as
 * Confluent's serializers name them) say. The registry is a stand-in on loopback that serves one schema by id.
 */
class RegistryAccessTest {

    private static final Schema SCHEMA = Schema.create(Schema.Type.STRING);

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldSendBasicCredentialsFromTheUserInfo() throws IOException {
        String url = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "Basic cmVnOnB3");

        Schema schema = new RemoteSchemaRegistry(url, Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "reg:pw")).schemaById(7);

        assertThat(schema).isEqualTo(SCHEMA);
        assertThat(authorizations).containsExactly("Basic cmVnOnB3");
    }

    @Test
    void shouldSendABearerToken() throws IOException {
        String url = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "Bearer t0ken");

        assertThat(new RemoteSchemaRegistry(url, Map.of("bearer.auth.token", "t0ken")).schemaById(7)).isEqualTo(SCHEMA);
    }

    @Test
    void shouldSayTheRegistryRefusedItWithoutEchoingTheCredentials() throws IOException {
        String url = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "Basic cmVnOnB3");

        assertThatThrownBy(() -> new RemoteSchemaRegistry(url, Map.of("basic.auth.user.info", "reg:wrong")).schemaById(7))
                .hasMessageContaining("refused this client (401)").hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> new RemoteSchemaRegistry(url, Map.of("basic.auth.user.info", "a:b",
                "bearer.auth.token", "t"))).hasMessageContaining("not both");
    }

    @Test
    void shouldTrustARegistryWhoseCertificateAPrivateCaSigned() throws Exception {
        Path keystore = dir.resolve("registry.p12");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=registry", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        Path cert = dir.resolve("registry.crt");
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", "trustpass");
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
        String url = start(https, null);

        assertThatThrownBy(() -> new RemoteSchemaRegistry(url).schemaById(7)).as("not trusted by default")
                .hasMessageContaining("unreachable");
        Schema schema = new RemoteSchemaRegistry(url, Map.of(
                "schema.registry.ssl.truststore.location", truststore.toString(),
                "schema.registry.ssl.truststore.password", "trustpass",
                "schema.registry.ssl.truststore.type", "PKCS12")).schemaById(7);

        assertThat(schema).isEqualTo(SCHEMA);
    }

    /** Serves schema 7, to requests with this Authorization header (null: any). */
    private String start(HttpServer server, String expectedAuthorization) {
        this.server = server;
        server.createContext("/schemas/ids/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                respond(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
            } else {
                respond(exchange, 200, JsonMapper.builder().build().writeValueAsString(Map.of("schema", SCHEMA.toString())));
            }
        });
        server.start();
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
