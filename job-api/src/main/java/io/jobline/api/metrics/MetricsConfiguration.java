package io.jobline.api.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobline.core.command.KafkaCommandSender;
import io.jobline.processor.JobProcessor;
import io.jobline.projections.JobProjections;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The service's own metrics besides the ones each feature registers (live push, workers, dead letters): the job
 * lifecycle, the active jobs, and the Kafka clients. Where each is counted, and why: docs/design.md, "Metrics".
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /** How often the active-job gauges read the projection's counts again: a third of a usual 15 s scrape. */
    static final Duration ACTIVE_JOBS_REFRESH = Duration.ofSeconds(5);

    @Bean
    JobLifecycleMetrics jobLifecycleMetrics(MeterRegistry registry) {
        return new JobLifecycleMetrics(registry);
    }

    /** One daemon thread for the active-job gauges and the Kafka binders' checks for new client metrics. */
    @Bean(destroyMethod = "shutdownNow")
    MetricsScheduler metricsScheduler() {
        return new MetricsScheduler(Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "jobline-metrics");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** From this instance's own partitions (in a cluster, the sum over the instances is the cluster's). */
    @Bean
    MeterBinder activeJobsMetric(io.jobline.projections.JobProjections projections, MetricsScheduler scheduler) {
        return registry -> {
            ActiveJobsGauges gauges = new ActiveJobsGauges(projections.queries(), registry);
            scheduler.executor().scheduleWithFixedDelay(gauges::refresh, 0, ACTIVE_JOBS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        };
    }

    /**
     * Micrometer's Kafka binders (kafka.producer.*, kafka.consumer.*, kafka.stream.*) for the API's producer, the
     * workers' producer, the event tail's consumer and both Streams applications (with their own clients). The share
     * consumers of the offer lanes have no binder (Micrometer binds producers, consumers, admin clients and Streams).
     */
    @Bean(destroyMethod = "close")
    KafkaClientsMetrics kafkaClientsMetrics(KafkaCommandSender apiProducer, ObjectProvider<JobProcessor> processor,
                                            JobProjections projections, MetricsScheduler scheduler) {
        ScheduledExecutorService executor = scheduler.executor();
        List<MeterBinder> binders = new ArrayList<>();
        binders.add(new KafkaClientMetrics(apiProducer.client(), Tags.of("client", "api"), executor));
        binders.add(new KafkaStreamsMetrics(projections.streams(), Tags.of("client", JobProjections.APPLICATION_ID), executor));
        JobProcessor local = processor.getIfAvailable();
        if (local != null) {
            binders.add(new KafkaClientMetrics(local.producer().client(), Tags.of("client", "workers"), executor));
            binders.add(new KafkaClientMetrics(local.dispatch().tail().client(), Tags.of("client", "event-tail"), executor));
            binders.add(new KafkaStreamsMetrics(local.streams(), Tags.of("client", JobProcessor.APPLICATION_ID), executor));
        }
        return new KafkaClientsMetrics(binders);
    }

    /** The scheduler the metrics share. */
    record MetricsScheduler(ScheduledExecutorService executor) {
        void shutdownNow() {
            executor.shutdownNow();
        }
    }

    /** The Kafka binders, bound as one and closed with the service. */
    record KafkaClientsMetrics(List<MeterBinder> binders) implements MeterBinder {
        @Override
        public void bindTo(MeterRegistry registry) {
            binders.forEach(binder -> binder.bindTo(registry));
        }

        void close() {
            for (MeterBinder binder : binders) {
                if (binder instanceof KafkaClientMetrics client) {
                    client.close();
                } else if (binder instanceof KafkaStreamsMetrics streams) {
                    streams.close();
                }
            }
        }
    }
}
