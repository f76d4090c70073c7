package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.support.Json;
import io.jobline.core.testing.JobTypeJar;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A Java job type from a separate jar on the configured path runs without rebuilding the service. The jar is compiled
 * here, so its class is on no class path the service already has: only jobline.job-types.path makes it known. The
 * same service has job types that are Spring beans of its context, as a user's own configuration would add them.
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
    static Path dir;
    private static RunningService service;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        Path jar = JobTypeJar.build(dir.resolve("job-types").resolve("shout.jar"), "acme.ShoutJobType", SHOUT);
        service = RunningService.start(dir.resolve("service"), Map.of("jobline.job-types.path", jar), BeanJobTypes.class);
        client = service.client();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void shouldRunAJavaJobTypeFromASeparateJarOnTheConfiguredPathWithoutRebuildingTheService() {
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

    /**
     * A JobType that is a bean of the service's context is a job type like any other, listed and run; one with the
     * name of a type found on the class path (noop) replaces it.
     */
    @Test
    void shouldRunJobTypesThatAreSpringBeansAndLetABeanReplaceABuiltInOfTheSameName() {
        JsonNode types = client.get("/api/job-types").json();
        assertThat(types.valueStream().filter(type -> type.get("name").asString().equals("greet")))
                .singleElement().satisfies(greet -> assertThat(greet.get("kind").asString()).isEqualTo("built-in"));
        assertThat(types.valueStream().filter(type -> type.get("name").asString().equals("noop")))
                .singleElement().satisfies(noop -> assertThat(noop.get("input_schema").get("required").get(0).asString())
                        .as("the bean's schema, not the built-in's").isEqualTo("word"));

        String greeting = client.submit("greet", "{\"name\": \"Ada\"}");
        assertThat(client.postJson("/api/jobs", "{\"type\": \"noop\", \"input\": {\"stages\": 1}}").status())
                .as("the built-in noop's input does not match the bean's schema").isEqualTo(400);
        String replaced = client.submit("noop", "{\"word\": \"hi\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> FINISHED.contains(client.job(greeting).get("status").asString())
                && FINISHED.contains(client.job(replaced).get("status").asString()));

        JsonNode greet = client.job(greeting);
        assertThat(greet.get("status").asString()).as(greet.toString()).isEqualTo("completed");
        assertThat(greet.get("stages").valueStream().map(stage -> stage.get("name").asString())).containsExactly("greet");
        assertThat(client.get("/api/jobs/" + greeting + "/result").json().get("result").toString())
                .isEqualTo("{\"greeting\":\"hello, Ada\"}");
        JsonNode noop = client.job(replaced);
        assertThat(noop.get("status").asString()).as(noop.toString()).isEqualTo("completed");
        assertThat(noop.get("stages").valueStream().map(stage -> stage.get("name").asString())).containsExactly("echo");
        assertThat(client.get("/api/jobs/" + replaced + "/result").json().get("result").toString())
                .isEqualTo("{\"echo\":\"hi\"}");
    }

    /**
     * Beans a user's configuration would add. Not a {@code @Configuration}: the services other tests start scan this
     * package, and must not find it.
     */
    static class BeanJobTypes {

        @Bean
        JobType greet() {
            return new JobType() {
                public String name() {
                    return "greet";
                }

                public List<String> plan(JsonNode input, List<StoredFile> files) {
                    return List.of("greet");
                }

                public JsonNode runStage(StageContext context) {
                    return JsonNodeFactory.instance.objectNode().put("greeting", "hello, " + context.input().get("name").asString());
                }
            };
        }

        @Bean
        JobType noopReplacement() {
            return new JobType() {
                public String name() {
                    return "noop";
                }

                public JsonNode inputSchema() {
                    return Json.parse("{\"type\": \"object\", \"required\": [\"word\"]}");
                }

                public List<String> plan(JsonNode input, List<StoredFile> files) {
                    return List.of("echo");
                }

                public JsonNode runStage(StageContext context) {
                    return JsonNodeFactory.instance.objectNode().put("echo", context.input().get("word").asString());
                }
            };
        }
    }
}
