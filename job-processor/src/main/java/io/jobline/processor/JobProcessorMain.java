package io.jobline.processor;

import java.util.List;

import io.jobline.processor.files.LocalFileStore;
import io.jobline.processor.jobtype.JobTypes;
import io.jobline.processor.jobtype.csv.CsvReportJobType;
import io.jobline.processor.system.DataDirectory;
import io.jobline.processor.system.EnsureTopicsTask;
import io.jobline.processor.system.Environment;
import io.jobline.processor.system.KafkaSettings;
import io.jobline.processor.system.Shutdown;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The processor on its own (decider and workers), against the cluster in KAFKA_BOOTSTRAP_SERVERS. Its file store
 * (JOBLINE_FILES_DIR) must be the same folder the API stores uploads in.
 */
public final class JobProcessorMain {

    private JobProcessorMain() {
    }

    public static void main(String[] args) throws Exception {
        DataDirectory data = Environment.dataDirectory();
        KafkaSettings kafka = EnsureTopicsTask.run(Environment.kafkaSettings(data));
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(kafka.schemaRegistryUrl()));
        LocalFileStore files = new LocalFileStore(java.nio.file.Path.of(Environment.get("JOBLINE_FILES_DIR",
                data.root().resolve("files").toString())));
        JobTypes types = JobTypes.discover(JobProcessorMain.class.getClassLoader(),
                List.of(new CsvReportJobType(Environment.csvLimits())));
        JobProcessor processor = JobProcessor.start(kafka, topics, types, files,
                Environment.get("JOBLINE_WORKER_ID", data.instanceId()),
                Integer.parseInt(Environment.get("JOBLINE_PROCESSOR_CONCURRENCY", "4")));
        Shutdown.awaitThenClose(processor, data);
    }
}
