package io.jobline.core.jobtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.testing.JobTypeJar;
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

    private Path jarOfResizeJobType(Path jar) throws IOException {
        return JobTypeJar.build(jar, "acme.ResizeJobType", SOURCE);
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
