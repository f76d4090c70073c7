package io.jobline.api.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobline.api.activity.RecentFinishes;
import io.jobline.api.cluster.ClusterJobQueries;
import io.jobline.api.cluster.ClusterProperties;
import io.jobline.api.cluster.Peers;
import io.jobline.api.live.ClusterLiveFeed;
import io.jobline.api.live.LiveHub;
import io.jobline.api.metrics.JobLifecycleMetrics;
import io.jobline.api.status.RecentSubmissions;
import io.jobline.api.status.SubmitTail;
import io.jobline.core.command.JobCommands;
import io.jobline.core.command.KafkaCommandSender;
import io.jobline.core.files.FileStore;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.core.system.ClientProperties;
import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.DeadLetters;
import io.jobline.core.system.EnsureTopicsTask;
import io.jobline.core.system.KafkaSettings;
import io.jobline.processor.JobProcessor;
import io.jobline.processor.decider.IgnoredTicks;
import io.jobline.processor.jobtype.csv.CsvReportJobType;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobQueries;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.worker.JobType;

/**
 * Wires the service onto Kafka: the embedded broker when no cluster is configured, the topics, the processor
 * (optional) and the projections this API reads. Spring closes them in reverse order.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(JoblineProperties properties) {
        return DataDirectory.open(properties.dataDir());
    }

    @Bean(destroyMethod = "close")
    BrokerConnection brokerConnection(JoblineProperties properties, DataDirectory data) {
        JoblineProperties.Kafka kafka = properties.kafka();
        return kafka.embedded()
                ? BrokerConnection.embedded(EmbeddedKafkaBroker.start(data.root(), kafka.embeddedPort()))
                : BrokerConnection.external(kafka.bootstrapServers());
    }

    @Bean
    KafkaSettings kafkaSettings(JoblineProperties properties, BrokerConnection broker, DataDirectory data,
                                @Value("${schema.registry.url:}") String schemaRegistryUrl) {
        JoblineProperties.Kafka kafka = properties.kafka();
        KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), kafka.partitions(),
                kafka.replicationFactor(), kafka.deciderCommitIntervalMs(), kafka.projectionCommitIntervalMs(),
                data.root().resolve("streams"), schemaRegistryUrl, data.instanceId(), kafka.sessionTimeoutMs(),
                kafka.processingGuarantee(), ClientProperties.load(kafka.clientConfig(), kafka.client()));
        return EnsureTopicsTask.run(settings);
    }

    @Bean
    SchemaRegistry schemaRegistry(KafkaSettings settings) {
        return SchemaRegistry.forUrl(settings.schemaRegistryUrl(), settings.client().registry());
    }

    @Bean
    JobTopics jobTopics(SchemaRegistry registry) {
        return new JobTopics(registry);
    }

    /** The local folder {@code files/} of the data folder, or the configured S3 bucket (local copies in {@code files-cache/}). */
    @Bean(destroyMethod = "close")
    FileStore fileStore(JoblineProperties properties, DataDirectory data) throws IOException {
        return properties.files().open(data.root().resolve("files"), data.root().resolve("files-cache"));
    }

    @Bean
    SecretInputs secretInputs(JoblineProperties properties, DataDirectory data) {
        return new SecretInputs(SecretKeys.of(properties.secrets().keys(), data.root()));
    }

    /** Poison records sent to the dead-letter topic, at /actuator/metrics/jobline.dead.letters. */
    @Bean
    MeterBinder deadLetterMetric() {
        return registry -> FunctionCounter.builder("jobline.dead.letters", DeadLetters.class, c -> DeadLetters.count())
                .description("Records sent to " + JobTopics.DEAD_LETTERS + " since this process started")
                .register(registry);
    }

    /** Ticks this process's deciders ignored as stamped ahead of their clock, at /actuator/metrics/jobline.ticks.ignored. */
    @Bean
    MeterBinder ignoredTicksMetric() {
        return registry -> FunctionCounter.builder("jobline.ticks.ignored", IgnoredTicks.class, c -> IgnoredTicks.count())
                .description("Ticks on job-commands stamped too far ahead of the decider's clock to be trusted")
                .register(registry);
    }

    /** csv-report with the configured limits, in place of the one with default limits found on the class path. */
    @Bean
    CsvReportJobType csvReportJobType(JoblineProperties properties) {
        return new CsvReportJobType(properties.csv().limits());
    }

    /**
     * The job types on the class path and in the jars of jobline.job-types.path, and every JobType bean, which wins
     * over one found with the same name.
     */
    @Bean
    JobTypes jobTypes(JoblineProperties properties, ObjectProvider<JobType> beans) {
        return JobTypes.discover(KafkaConfiguration.class.getClassLoader(), properties.jobTypes().path(),
                beans.orderedStream().toList());
    }

    @Bean
    JobCommands jobCommands() {
        return new JobCommands(Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    KafkaCommandSender commandSender(KafkaSettings settings, JobTopics topics, JoblineProperties properties) {
        // Requests wait for the acknowledgement; bound the producer so a send fails within the same time.
        int timeoutMs = (int) properties.submit().ackTimeout().toMillis();
        Map<String, Object> config = settings.clientConfig();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs - 500));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 500);
        return new KafkaCommandSender(topics.commands(), config);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "jobline.processor.enabled", havingValue = "true", matchIfMissing = true)
    JobProcessor jobProcessor(KafkaSettings settings, JobTopics topics, JobTypes types, FileStore files,
                              SecretInputs secrets, JoblineProperties properties, DataDirectory data) {
        JoblineProperties.Processor processor = properties.processor();
        return JobProcessor.start(settings, topics, types, files, secrets, workerId(processor.workerId(), data),
                processor.concurrency());
    }

    @Bean(destroyMethod = "close")
    JobProjections jobProjections(KafkaSettings settings, JobTopics topics, LiveHub live, RecentSubmissions recent,
                                  JobLifecycleMetrics metrics, RecentFinishes finishes, ClusterProperties cluster) {
        boolean clustered = Peers.advertised(cluster).isPresent();
        // Once the projection holds a job, the API stops remembering it as just accepted.
        return JobProjections.start(settings, topics, (event, before, after) -> {
            if (after != null) {
                recent.forget(event.getJobId());
            }
            metrics.folded(event, before, after);
            finishes.folded(event, before, after);
            if (!clustered) {
                live.folded(event, after); // in a cluster, the live feed of every partition tells the hub
            }
        }, Peers.advertised(cluster).map(h -> h.host() + ":" + h.port()).orElse(null));
    }

    @Bean
    Peers peers(JobProjections projections, ClusterProperties cluster, SecretInputs secrets) {
        String scheme = cluster.advertisedUrl() == null || cluster.advertisedUrl().isBlank() ? "http"
                : java.net.URI.create(cluster.advertisedUrl().trim()).getScheme();
        return new Peers(projections.streams(), projections.eventPartitions(), Peers.advertised(cluster).orElse(null), scheme, secrets);
    }

    /** In a cluster, every partition's events pushed to this instance's live clients. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${jobline.cluster.advertised-url:}'.isBlank()")
    ClusterLiveFeed clusterLiveFeed(KafkaSettings settings, JobTopics topics, LiveHub live, JobQueries queries) {
        return new ClusterLiveFeed(settings, topics, live, queries);
    }

    /** In a cluster, the jobs submitted through every instance, for a read right after another instance's 202. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${jobline.cluster.advertised-url:}'.isBlank()")
    SubmitTail submitTail(KafkaSettings settings, JobTopics topics) {
        return new SubmitTail(settings, topics);
    }

    /** Any instance answers for every job: reads go to the instance whose stores hold the job's partition. */
    @Bean
    JobQueries jobQueries(JobProjections projections, Peers peers, JobTopics topics) {
        return new ClusterJobQueries(projections.queries(), peers, topics.events().valueSerde(), projections::isCaughtUp);
    }

    /**
     * The in-process worker's name, the same in every life of this data folder: a job still running under it after a
     * crash is this process's own, and it takes it over at once; a job under another name belongs to a worker that
     * may be alive elsewhere.
     */
    private static String workerId(String configured, DataDirectory data) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + data.instanceId().substring(0, Math.min(8, data.instanceId().length()));
    }
}
