package io.jobline.processor;

import java.util.List;

import io.jobline.core.files.LocalFileStore;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.EnsureTopicsTask;
import io.jobline.core.system.Environment;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.Shutdown;
import io.jobline.processor.jobtype.csv.CsvLimits;
import io.jobline.processor.jobtype.csv.CsvReportJobType;
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
        JobTypes types = JobTypes.discover(JobProcessorMain.class.getClassLoader(), Environment.jobTypesPath(),
                List.of(new CsvReportJobType(csvLimits())));
        JobProcessor processor = JobProcessor.start(kafka, topics, types, files,
                Environment.get("JOBLINE_WORKER_ID", data.instanceId()),
                Integer.parseInt(Environment.get("JOBLINE_PROCESSOR_CONCURRENCY", "4")));
        Shutdown.awaitThenClose(processor, data);
    }

    /** csv-report's limits, as the service's jobline.csv.* settings. */
    private static CsvLimits csvLimits() {
        CsvLimits defaults = CsvLimits.DEFAULTS;
        int maxRecordChars = Integer.parseInt(Environment.get("JOBLINE_CSV_MAX_RECORD_CHARS",
                Integer.toString(defaults.maxRecordChars())));
        return new CsvLimits(
                Integer.parseInt(Environment.get("JOBLINE_CSV_MAX_COLUMNS", Integer.toString(defaults.maxColumns()))),
                maxRecordChars, Math.min(maxRecordChars, defaults.maxFieldChars()),
                Long.parseLong(Environment.get("JOBLINE_CSV_MAX_KEPT_CHARS", Long.toString(defaults.maxKeptChars()))));
    }
}
