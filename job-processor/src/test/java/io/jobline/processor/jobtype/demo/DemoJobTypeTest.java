package io.jobline.processor.jobtype.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.core.jobtype.InputSchema;
import io.jobline.core.support.Json;
import io.jobline.processor.testing.FakeStageContext;
import io.jobline.worker.FatalJobException;
import io.jobline.worker.InvalidJobInputException;

class DemoJobTypeTest {

    private final DemoJobType demo = new DemoJobType();

    @Test
    void shouldPlanThreeStagesByDefault() {
        assertThat(demo.plan(Json.parse("{}"), List.of())).containsExactly("stage-1", "stage-2", "stage-3");
        assertThat(demo.plan(Json.parse("null"), List.of())).hasSize(3);
    }

    @Test
    void shouldPlanTheRequestedNumberOfStages() {
        assertThat(demo.plan(Json.parse("{\"stages\": 5, \"stage_ms\": 10, \"fail_at_stage\": 4}"), List.of())).hasSize(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"stages\": 0}|'stages' must be an integer from 1 to 100",
            "{\"stages\": \"3\"}|'stages' must be an integer",
            "{\"stage_ms\": -5}|'stage_ms' must be an integer from 0",
            "{\"stages\": 2, \"fail_at_stage\": 3}|'fail_at_stage' must be an integer from 1 to 2",
            "{\"stagez\": 2}|unknown field 'stagez'",
            "[1, 2]|must be a JSON object"})
    void shouldRejectInvalidInputWithAClearMessage(String input, String message) {
        assertThatThrownBy(() -> demo.plan(Json.parse(input), List.of()))
                .isInstanceOf(InvalidJobInputException.class)
                .hasMessageContaining(message);
    }

    @Test
    void shouldFailRetryablyOnlyOnItsFirstAttemptsAndFatallyWhenAsked() throws Exception {
        String input = "{\"stages\": 1, \"stage_ms\": 0, \"fail_at_stage\": 1, \"fail_attempts\": 1}";
        FakeStageContext first = context(input, 1);
        FakeStageContext second = context(input, 2);

        assertThatThrownBy(() -> demo.runStage(first)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attempt 1");
        assertThat(demo.isRetryable(new IllegalStateException("x"))).isTrue();
        assertThat(demo.runStage(second).get("stages_completed").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> demo.runStage(context("{\"stages\": 1, \"stage_ms\": 0, \"fail_at_stage\": 1, \"fatal\": true}", 3)))
                .isInstanceOf(FatalJobException.class)
                .satisfies(e -> assertThat(demo.isRetryable(e)).isFalse());
    }

    @Test
    void shouldHeartbeatWhenItGoesLongerThanASecondBetweenProgressReports() {
        FakeStageContext context = context("{\"stages\": 1, \"stage_ms\": 5500, \"fail_at_stage\": 1}", 1);

        assertThatThrownBy(() -> demo.runStage(context)).as("stops at step 3 of 1.1 s each").isInstanceOf(IllegalStateException.class);

        assertThat(context.heartbeats).isEqualTo(3);
    }

    @Test
    void shouldTakeItsDedupKeyFromTheInput() {
        assertThat(demo.dedupKey(Json.parse("{\"dedup_key\": \"nightly\"}"))).isEqualTo("nightly");
        assertThat(demo.dedupKey(Json.parse("{}"))).isNull();
    }

    @Test
    void shouldDeclareAnInputSchemaThatAgreesWithItsParser() {
        InputSchema schema = InputSchema.of(demo.inputSchema());

        assertThat(schema.violations(Json.parse("{\"stages\": 2, \"hang_at_stage\": 1, \"dedup_key\": \"k\"}"))).isEmpty();
        assertThat(schema.violations(Json.parse("{\"stagez\": 2}"))).singleElement().asString().contains("stagez");
        assertThat(schema.violations(Json.parse("{\"stages\": 101}"))).singleElement().asString()
                .startsWith("input/stages");
    }

    private static FakeStageContext context(String input, int attempt) {
        FakeStageContext context = new FakeStageContext(null, input, List.of(), 1, 1, null);
        context.attempt = attempt;
        return context;
    }
}
