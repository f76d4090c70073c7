package io.jobline.projections;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.EnsureTopicsTask;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.StandaloneApplication;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The projections on their own, against the cluster in KAFKA_BOOTSTRAP_SERVERS: keeps the job stores (and their
 * changelogs) up to date, e.g. to rebuild them from job-events after a reset, apart from the API. A Spring Boot
 * application without a web server or auto-configuration: it binds {@link ProjectionsProperties} from
 * jobline-projections.yml and runs until it is stopped, when Spring closes the projections, then the data folder.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionsProperties.class)
public class JobProjectionsMain {

    /** Its own file name, not application.yml: job-api has this module on its class path and must not read it. */
    static final String CONFIG_NAME = "jobline-projections";

    public static void main(String[] args) {
        application(JobProjectionsMain.class).run(args);
    }

    static SpringApplication application(Class<?>... sources) {
        return StandaloneApplication.of(CONFIG_NAME, sources);
    }

    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(ProjectionsProperties properties) {
        return DataDirectory.open(properties.dataDir());
    }

    @Bean
    KafkaSettings kafkaSettings(ProjectionsProperties properties, DataDirectory data) {
        return EnsureTopicsTask.run(properties.kafka().settings(data));
    }

    @Bean(destroyMethod = "close")
    JobProjections jobProjections(KafkaSettings kafka) {
        return JobProjections.start(kafka, new JobTopics(SchemaRegistry.forUrl(kafka.schemaRegistryUrl(), kafka.client().registry())));
    }
}
