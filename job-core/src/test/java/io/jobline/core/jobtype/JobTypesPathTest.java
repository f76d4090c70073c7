package io.jobline.core.jobtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * Job types in jars named by jobline.job-types.path. The jar is compiled here, so its class is on no class path
 * the test already has: only the path can make it known.
 */
class JobTypesPathTest {

    private static final String SOURCE = """
            package acme;

            import java.util.List;

            import io.jobline.worker.JobType;
            import io.jobline.worker.StageContext;
            import io.jobline.worker.StoredFile;
            import tools.jackson.databind.JsonNode;

            public class ResizeJobType implements JobType {

                public String name() {
                    return "resize";
                }

                public List<String> plan(JsonNode input, List<StoredFile> files) {
                    return List.of("resize");
                }

                public JsonNode runStage(StageContext context) {
                    return null;
                }
            }
            """;

    @TempDir
    Path dir;

    private final ClassLoader application = JobTypesPathTest.class.getClassLoader();

    @Test
    void shouldFindAJobTypeListedAsAServiceInAJarOfTheFolderOnThePath() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("job-types"));
        jarOfResizeJobType(folder.resolve("resize.jar"));

        JobTypes types = JobTypes.discover(application, List.of(folder), List.of());

        assertThat(types.names()).containsExactly("resize");
        JobType resize = types.find("resize").orElseThrow();
        assertThat(resize.getClass().getName()).isEqualTo("acme.ResizeJobType");
        assertThat(resize.getClass().getClassLoader()).isNotSameAs(application);
        assertThat(resize.plan(null, List.of())).containsExactly("resize");
    }

    @Test
    void shouldFindAJobTypeInAJarNamedOnThePath() throws Exception {
        Path jar = jarOfResizeJobType(dir.resolve("resize.jar"));

        JobTypes types = JobTypes.discover(application, List.of(jar), List.of());

        assertThat(types.find("resize")).get().extracting(t -> t.getClass().getName()).isEqualTo("acme.ResizeJobType");
    }

    @Test
    void shouldPreferAnExplicitJobTypeToOneOfTheSameNameFoundOnThePath() throws Exception {
        Path jar = jarOfResizeJobType(dir.resolve("resize.jar"));
        JobType explicit = new Named("resize");

        JobTypes types = JobTypes.discover(application, List.of(jar), List.of(explicit));

        assertThat(types.names()).containsExactly("resize");
        assertThat(types.find("resize")).containsSame(explicit);
    }

    @Test
    void shouldRefuseAPathEntryThatIsNeitherAJarNorAFolder() {
        Path missing = dir.resolve("missing.jar");

        assertThatThrownBy(() -> JobTypes.discover(application, List.of(missing), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.jar");
    }

    /** Compiles {@link #SOURCE} against the worker API and jars it with its service registration. */
    private Path jarOfResizeJobType(Path jar) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src/acme"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path source = Files.writeString(sources.resolve("ResizeJobType.java"), SOURCE);
        String classPath = location(JobType.class) + java.io.File.pathSeparator + location(JsonNode.class);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-classpath", classPath, "-d", classes.toString(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();

        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
            put(out, "META-INF/services/" + JobType.class.getName(),
                    "acme.ResizeJobType\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private record Named(String name) implements JobType {

        @Override
        public List<String> plan(JsonNode input, List<StoredFile> files) {
            return List.of("stage-1");
        }

        @Override
        public JsonNode runStage(StageContext context) {
            return null;
        }
    }
}
