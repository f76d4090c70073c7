package io.jobline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.jobline.worker.JobPolicy;

class PolicyTest {

    @Test
    void shouldGiveAJobTypeWithTheDefaultPolicyOneAttemptAndASixtySecondHeartbeatTimeout() {
        assertThat(Policy.of(JobPolicy.DEFAULT)).isEqualTo(Policy.SINGLE_ATTEMPT.withTimeouts(null, null, 60_000L));
    }

    @Test
    void shouldKeepEveryFieldOfAJobTypesPolicyAndLeaveRestartsToTheDefault() {
        Policy policy = Policy.of(new JobPolicy(3, 500, 1.5, 10_000, 60_000L, 30_000L, 5_000L));

        assertThat(policy).isEqualTo(new Policy(3, 500, 1.5, 10_000, 60_000L, 30_000L, 5_000L, null));
        assertThat(policy.effectiveMaxRestarts()).isEqualTo(Policy.DEFAULT_MAX_RESTARTS);
    }
}
