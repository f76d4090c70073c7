package io.jobline.api.webhooks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;

/** Webhook deliveries run in the service unless {@code jobline.webhooks.enabled=false} (then another instance sends them). */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "jobline.webhooks.enabled", havingValue = "true", matchIfMissing = true)
    Webhooks webhooks(KafkaSettings kafka, JobTopics topics, WebhookSubscriptions subscriptions, Destinations destinations,
                      WebhookSigning signing, WebhookProperties properties, io.jobline.api.cluster.Peers peers) {
        return Webhooks.start(kafka, topics, subscriptions, destinations, signing, properties, peers);
    }
}
