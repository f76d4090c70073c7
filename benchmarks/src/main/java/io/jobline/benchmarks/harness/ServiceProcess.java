package io.jobline.benchmarks.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service as users run it: {@code java -jar job-api-*-exec.jar} in its own JVM, on the embedded broker, with a
 * fresh data folder. The harness measures it from outside, over HTTP and Kafka, and reads its resident memory from
 * /proc.
 */
final class ServiceProcess implements AutoCloseable {

    /** The JVM options of the README's run command (spring-boot:run's jvmArguments in job-api/pom.xml). */
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:MetaspaceSize=160m");

    private final Process process;
    private final Path dataDir;
    final String baseUrl;
    final String bootstrapServers;

    private ServiceProcess(Process process, Path dataDir, int httpPort, int kafkaPort) {
        this.process = process;
        this.dataDir = dataDir;
        this.baseUrl = "http://127.0.0.1:" + httpPort;
        this.bootstrapServers = "127.0.0.1:" + kafkaPort;
    }

    /**
     * Starts the service with {@code env} on top of its defaults and waits until it is healthy; "{port}" in a value
     * is the service's HTTP port (for the URL it advertises).
     */
    static ServiceProcess start(Path jar, Map<String, String> env) throws Exception {
        Path dataDir = Files.createTempDirectory("jobline-bench-");
        int httpPort = freePort();
        int kafkaPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // For trials of other JVM settings: -Djobline.bench.jvm-options="-Xmx1g -XX:+UseParallelGC ...".
        String override = System.getProperty("jobline.bench.jvm-options");
        command.addAll(override == null ? JVM_OPTIONS : List.of(override.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("service.log").toFile());
        builder.environment().put("PORT", Integer.toString(httpPort));
        builder.environment().put("JOBLINE_DATA_DIR", dataDir.toString());
        builder.environment().put("JOBLINE_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort));
        env.forEach((name, value) -> builder.environment().put(name, value.replace("{port}", Integer.toString(httpPort))));
        ServiceProcess service = new ServiceProcess(builder.start(), dataDir, httpPort, kafkaPort);
        service.awaitHealthy();
        return service;
    }

    /** The runnable jar built by job-api's package phase, from the project root or a module folder. */
    static Path findJar() throws IOException {
        // To compare builds: -Djobline.bench.jar=/path/to/an/older/job-api-*-exec.jar
        String chosen = System.getProperty("jobline.bench.jar");
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath();
        }
        for (Path dir : List.of(Path.of("job-api", "target"), Path.of("..", "job-api", "target"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    var jar = files.filter(p -> p.getFileName().toString().matches("job-api-.*-exec\\.jar")).findFirst();
                    if (jar.isPresent()) {
                        return jar.get().toAbsolutePath();
                    }
                }
            }
        }
        throw new IllegalStateException("No job-api/target/job-api-*-exec.jar: run ./mvnw -DskipTests install first");
    }

    /** Resident set size of the service's JVM, from /proc/<pid>/status. */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("No VmRSS for pid " + process.pid());
    }

    /** Bytes on disk under the Streams state folder (RocksDB stores of both applications). */
    long stateStoreBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("streams"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited; see " + dataDir.resolve("service.log"));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The service did not become healthy in 120 s; see " + dataDir.resolve("service.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
