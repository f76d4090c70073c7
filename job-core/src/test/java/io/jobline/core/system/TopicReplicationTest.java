package io.jobline.core.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicReplicationTest {

    @Test
    void shouldKeepOneCopyPerBrokerUpToThreeUnlessConfigured() {
        assertThat(TopicReplication.choose((short) 0, 1)).isEqualTo(new TopicReplication((short) 1, 1));
        assertThat(TopicReplication.choose((short) 0, 2)).isEqualTo(new TopicReplication((short) 2, 2));
        assertThat(TopicReplication.choose((short) 0, 3)).isEqualTo(new TopicReplication((short) 3, 2));
        assertThat(TopicReplication.choose((short) 0, 7)).isEqualTo(new TopicReplication((short) 3, 2));
        assertThat(TopicReplication.choose((short) 2, 7)).as("configured").isEqualTo(new TopicReplication((short) 2, 2));
    }

    @Test
    void shouldWarnAboutExistingTopicsWithFewerReplicasOrALowerMinInsyncThanTheClusterAllows() {
        TopicReplication threeBrokers = TopicReplication.choose((short) 0, 3);

        assertThat(threeBrokers.warnings(Map.of("job-events", 1, "job-commands", 3), Map.of("job-events", 1, "job-commands", 2)))
                .satisfiesExactlyInAnyOrder(
                        w -> assertThat(w).startsWith("Topic job-events has 1 replica(s) per partition, fewer than 3"),
                        w -> assertThat(w).startsWith("Topic job-events has min.insync.replicas=1, lower than 2"));
        assertThat(TopicReplication.choose((short) 0, 1).warnings(Map.of("job-events", 1), Map.of("job-events", 1)))
                .as("one broker: one copy is all there can be").isEmpty();
    }
}
