package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.testing.JobTypeJar;
import tools.jackson.databind.JsonNode;

/**
 * A Java job type from a separate jar on the configured path runs without rebuilding the service. The jar is compiled
 * here, so its class is on no class path the service already has: only jobline.job-types.path makes it known.
 */
class JobTypeJarIT {

    /** Two stages: the first keeps the text as its checkpoint, the second upper-cases it into the result. */
    private static final String SHOUT = """
            package acme;

            import java.util.List;
            import java.util.Locale;

            import io.jobline.worker.JobType;
            import io.jobline.worker.StageContext;
            import io.jobline.worker.StoredFile;
            import tools.jackson.databind.JsonNode;
            import tools.jackson.databind.node.JsonNodeFactory;

            public class ShoutJobType implements JobType {

                public String name() {
                    return "shout";
                }

                public List<String> plan(JsonNode input, List<StoredFile> files) {
                    return List.of("read", "shout");
                }

                public JsonNode runStage(StageContext context) {
                    if (context.stage() == 1) {
                        return JsonNodeFactory.instance.objectNode().put("text", context.input().get("text").asString());
                    }
                    String text = context.checkpoint().get("text").asString();
                    return JsonNodeFactory.instance.objectNode().put("text", text.toUpperCase(Locale.ROOT));
                }
            }
            """;

    private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");

    @TempDir
    Path dir;

    @Test
    void shouldRunAJavaJobTypeFromASeparateJarOnTheConfiguredPathWithoutRebuildingTheService() throws Exception {
        Path jar = JobTypeJar.build(dir.resolve("job-types").resolve("shout.jar"), "acme.ShoutJobType", SHOUT);

        try (RunningService service = RunningService.start(dir.resolve("service"),
                Map.of("jobline.job-types.path", jar))) {
            ServiceClient client = service.client();

            JsonNode types = client.get("/api/job-types").json();
            assertThat(types.valueStream().filter(type -> type.get("name").asString().equals("shout")))
                    .singleElement().satisfies(shout -> assertThat(shout.get("kind").asString()).isEqualTo("built-in"));

            String id = client.submit("shout", "{\"text\": \"hello\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> FINISHED.contains(client.job(id).get("status").asString()));
            JsonNode job = client.job(id);
            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("completed");
            assertThat(job.get("stages").valueStream().map(stage -> stage.get("name").asString()))
                    .containsExactly("read", "shout");
            assertThat(client.get("/api/jobs/" + id + "/result").json().get("result").toString())
                    .isEqualTo("{\"text\":\"HELLO\"}");
        }
    }
}
