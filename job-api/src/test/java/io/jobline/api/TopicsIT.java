package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.SharedService;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;

/** The topics the service makes on the embedded broker: how long they keep records and how many copies ack a write. */
@ExtendWith(SharedService.class)
class TopicsIT {

    @Test
    void shouldAcknowledgeWritesToBothJobTopicsOnlyWithMinInsyncReplicasOfTheirReplicationFactor() throws Exception {
        KafkaSettings kafka = SharedService.service().bean(KafkaSettings.class);
        assertThat(kafka.replicationFactor()).as("one broker: one copy").isEqualTo((short) 1);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, JobTopics.COMMANDS),
                    new ConfigResource(ConfigResource.Type.TOPIC, JobTopics.EVENTS))).all().get(30, TimeUnit.SECONDS);

            configs.forEach((topic, config) -> {
                assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as(topic.name()).isEqualTo("1");
                assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).source())
                        .as(topic.name() + ": set on the topic, not inherited").isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, JobTopics.EVENTS))
                    .get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
        }
    }
}
