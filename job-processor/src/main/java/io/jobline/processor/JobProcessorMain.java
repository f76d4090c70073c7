package io.jobline.processor;

import java.io.IOException;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;

import io.jobline.core.files.FileStore;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.EnsureTopicsTask;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.StandaloneApplication;
import io.jobline.core.tracing.TracingSetup;
import io.jobline.processor.jobtype.csv.CsvReportJobType;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The processor on its own (decider and workers), against the cluster in KAFKA_BOOTSTRAP_SERVERS. Its file store must
 * be the API's: the same folder (JOBLINE_FILES_DIR), or the same S3 bucket (JOBLINE_FILES_STORE=s3, JOBLINE_S3_*).
 * A Spring Boot application without a web server or auto-configuration: it binds {@link ProcessorProperties} from
 * jobline-processor.yml and runs until it is stopped, when Spring closes the processor, the file store, then the
 * data folder.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessorProperties.class)
public class JobProcessorMain {

    /**
     * Its own file name, not application.yml: job-api has this module on its class path and must not read it, and
     * run from the service's jar (docker-compose.yml) this process must not read the service's.
     */
    static final String CONFIG_NAME = "jobline-processor";

    public static void main(String[] args) {
        application(JobProcessorMain.class).run(args);
    }

    static SpringApplication application(Class<?>... sources) {
        return StandaloneApplication.of(CONFIG_NAME, sources);
    }

    /** Tracing, when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT); it ends after the processor. */
    @Bean(destroyMethod = "close")
    TracingSetup tracing(Environment environment) {
        return TracingSetup.start(environment::getProperty, "jobline-processor").orElse(null);
    }

    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(ProcessorProperties properties) {
        return DataDirectory.open(properties.dataDir());
    }

    @Bean
    KafkaSettings kafkaSettings(ProcessorProperties properties, DataDirectory data) {
        return EnsureTopicsTask.run(properties.kafka().settings(data));
    }

    @Bean(destroyMethod = "close")
    FileStore fileStore(ProcessorProperties properties, DataDirectory data) throws IOException {
        return properties.files().open(properties.filesDir(data), data.root().resolve("files-cache"));
    }

    @Bean(destroyMethod = "close")
    @DependsOn("tracing")
    JobProcessor jobProcessor(ProcessorProperties properties, KafkaSettings kafka, DataDirectory data, FileStore files) {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(kafka.schemaRegistryUrl(), kafka.client().registry()));
        JobTypes types = JobTypes.discover(JobProcessorMain.class.getClassLoader(), properties.jobTypes().path(),
                List.of(new CsvReportJobType(properties.csv().limits())));
        return JobProcessor.start(kafka, topics, types, files, properties.secrets().inputs(),
                properties.processor().workerId(data), properties.processor().concurrency());
    }
}
