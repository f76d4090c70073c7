package io.jobline.api.workers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CancelRequestsTest {

    private final CancelRequests cancels = new CancelRequests();

    @Test
    void shouldTellTheAttemptTheViewShowedOrTheOneItHadNotShownYet() {
        cancels.accepted("j1", 0); // the view had not folded the start of attempt 1 yet

        assertThat(cancels.isRequested("j1", 1)).isTrue();
        assertThat(cancels.isRequested("j1", 2)).as("a later attempt is not the cancelled one").isFalse();
        assertThat(cancels.isRequested("j2", 1)).isFalse();
    }

    @Test
    void shouldForgetACancelOnceTheJobIsRetriedHere() {
        cancels.accepted("j1", 1);
        assertThat(cancels.isRequested("j1", 1)).isTrue();

        cancels.retried("j1");

        assertThat(cancels.isRequested("j1", 2)).isFalse();
        assertThat(cancels.isRequested("j1", 1)).isFalse();
    }
}
