package io.jobline.api.workers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobline.processor.JobProcessor;
import io.jobline.processor.runner.JobRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The workers of this instance: its in-process runner's slots (busy and free) and the external workers that poll
 * here (connected, and long polls waiting now). Sum over instances for the cluster.
 */
@Configuration(proxyBeanMethods = false)
class WorkerMetrics {

    @Bean
    MeterBinder workerMetric(ObjectProvider<JobProcessor> processor, PollingWorkers polling) {
        return registry -> {
            JobProcessor local = processor.getIfAvailable();
            if (local != null) {
                JobRunner runner = local.runner();
                Gauge.builder("jobline.workers.slots", runner, r -> Math.min(r.runningCount(), r.concurrency()))
                        .description("The in-process worker's slots").tag("state", "busy").register(registry);
                Gauge.builder("jobline.workers.slots", runner, r -> Math.max(0, r.concurrency() - r.runningCount()))
                        .description("The in-process worker's slots").tag("state", "free").register(registry);
            }
            Gauge.builder("jobline.workers.connected", () -> local == null ? 0 : 1)
                    .description("Workers: this instance's in-process one, and external ones that polled here in the last minute")
                    .tag("kind", "in-process").register(registry);
            Gauge.builder("jobline.workers.connected", polling, PollingWorkers::connected)
                    .description("Workers: this instance's in-process one, and external ones that polled here in the last minute")
                    .tag("kind", "external").register(registry);
            Gauge.builder("jobline.workers.polls.waiting", polling, PollingWorkers::waitingPolls)
                    .description("External workers' long polls waiting here for a job").register(registry);
        };
    }
}
