package io.jobline.projections;

import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.EnsureTopicsTask;
import io.jobline.core.system.Environment;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.Shutdown;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The projections on their own, against the cluster in KAFKA_BOOTSTRAP_SERVERS: keeps the job stores (and their
 * changelogs) up to date, e.g. to rebuild them from job-events after a reset, apart from the API.
 */
public final class JobProjectionsMain {

    private JobProjectionsMain() {
    }

    public static void main(String[] args) throws Exception {
        DataDirectory data = Environment.dataDirectory();
        KafkaSettings kafka = EnsureTopicsTask.run(Environment.kafkaSettings(data));
        JobProjections projections = JobProjections.start(kafka, new JobTopics(SchemaRegistry.forUrl(kafka.schemaRegistryUrl())));
        Shutdown.awaitThenClose(projections, data);
    }
}
