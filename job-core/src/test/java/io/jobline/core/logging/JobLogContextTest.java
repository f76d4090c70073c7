package io.jobline.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void shouldNameTheJobAndAttemptWhileOpenAndPutBackWhatTheThreadHadBefore() {
        try (JobLogContext outer = JobLogContext.of("job-1", 2)) {
            assertThat(MDC.get("job_id")).isEqualTo("job-1");
            assertThat(MDC.get("attempt")).isEqualTo("2");
            try (JobLogContext inner = JobLogContext.of("job-2")) {
                assertThat(MDC.get("job_id")).isEqualTo("job-2");
                assertThat(MDC.get("attempt")).as("another job's attempt is not this one's").isNull();
            }
            assertThat(MDC.get("job_id")).isEqualTo("job-1");
            assertThat(MDC.get("attempt")).isEqualTo("2");
        }
        assertThat(MDC.get("job_id")).isNull();
        assertThat(MDC.get("attempt")).isNull();
    }
}
