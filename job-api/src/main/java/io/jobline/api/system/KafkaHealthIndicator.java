package io.jobline.api.system;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.core.system.KafkaSettings;

/** /actuator/health "kafka": whether the cluster answers, and with how many brokers. */
@Component("kafka")
class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final int TIMEOUT_MS = 3000;

    private final Admin admin;
    private final KafkaSettings settings;
    private final BrokerConnection broker;

    KafkaHealthIndicator(KafkaSettings settings, BrokerConnection broker) {
        this.settings = settings;
        this.broker = broker;
        this.admin = Admin.create(settings.clientConfig());
    }

    @Override
    public Health health() {
        try {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            return Health.up()
                    .withDetail("bootstrap_servers", settings.bootstrapServers())
                    .withDetail("embedded", broker.isEmbedded())
                    .withDetail("cluster_id", cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .withDetail("brokers", cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size())
                    .build();
        } catch (Exception e) {
            return Health.down().withDetail("bootstrap_servers", settings.bootstrapServers())
                    .withDetail("error", e.toString()).build();
        }
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
