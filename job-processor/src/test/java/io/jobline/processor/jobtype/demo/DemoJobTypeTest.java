package io.jobline.processor.jobtype.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.processor.jobtype.InvalidJobInputException;
import io.jobline.processor.support.Json;

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
}
