package io.jobline.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.jobline.worker.JobType;
import tools.jackson.core.TreeNode;
import tools.jackson.databind.JsonNode;

/**
 * A jar with one job type, compiled at test time against the worker API and Jackson, so that its class is on no
 * class path the test already has: only jobline.job-types.path can make it known.
 */
public final class JobTypeJar {

    private JobTypeJar() {
    }

    /**
     * Compiles {@code source}, a public class {@code className} implementing {@link JobType}, and writes it to
     * {@code jar} with its {@code META-INF/services} registration.
     */
    public static Path build(Path jar, String className, String source) throws IOException {
        // Compiled apart from the jar's folder, which may itself be on the path, and deleted once jarred.
        Path work = Files.createTempDirectory("jobline-job-type-");
        try {
            Path classes = compile(work, className, source);
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
                put(out, "META-INF/services/" + JobType.class.getName(),
                        (className + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return jar;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static Path compile(Path work, String className, String source) throws IOException {
        Path sourceFile = work.resolve("src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(sourceFile.getParent());
        Files.writeString(sourceFile, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        String classPath = String.join(File.pathSeparator, location(JobType.class), location(JsonNode.class),
                location(TreeNode.class));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "--release", "17", "-classpath", classPath, "-d",
                classes.toString(), sourceFile.toString());
        if (status != 0) {
            throw new IllegalStateException("javac failed on " + className + ":\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return classes;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("No file location for " + type.getName(), e);
        }
    }
}
