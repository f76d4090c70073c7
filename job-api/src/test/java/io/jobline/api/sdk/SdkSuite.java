package io.jobline.api.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of another language's test suite and asserts that it passed. Its output goes through this JVM's
 * own System.out, line by line (the test JVM's standard output is Maven's channel to it: a child writing there
 * directly would garble it).
 */
final class SdkSuite {

    /** The repository's root: the tests run in job-api. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private SdkSuite() {
    }

    /** Whether {@code -D<property>=true} was given to the build (the pom passes it on to the test JVM). */
    static boolean skipped(String property) {
        return Boolean.parseBoolean(System.getProperty(property, "false"));
    }

    static void run(Path directory, Duration timeout, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        // Their suites start the built jar themselves and fail, not skip, when it is missing.
        builder.environment().putAll(Map.of("JOBLINE_REQUIRE_SERVICE", "true"));
        Process process = builder.start();
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(System.out::println);
            } catch (Exception e) {
                System.out.println("(output lost: " + e + ")");
            }
        }, "sdk-suite-output");
        copier.start();
        boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        copier.join(10_000);
        assertThat(ended).as(String.join(" ", command) + " ended within " + timeout).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " in " + directory + ": its output is above")
                .isZero();
    }
}
