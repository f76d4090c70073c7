package io.jobline.core.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsConfigsTest {

    private final KafkaSettings kafka = new KafkaSettings("127.0.0.1:9092", 6, (short) 1, 30, 100,
            Path.of("state"), null, null, 0, null);

    /** A stream thread checks whether a commit is due only between polls: a long poll holds a due commit back. */
    @Test
    void shouldPollForAtMostASixthOfTheCommitInterval() {
        assertThat(pollMs(30)).isEqualTo(5L);
        assertThat(pollMs(100)).isEqualTo(16L);
        assertThat(pollMs(3)).as("never a busy loop").isEqualTo(1L);
        assertThat(pollMs(60_000)).as("never longer than Kafka Streams' default").isEqualTo(100L);
    }

    private Object pollMs(long commitIntervalMs) {
        return StreamsConfigs.forApplication(kafka, "test", commitIntervalMs).get(StreamsConfig.POLL_MS_CONFIG);
    }
}
