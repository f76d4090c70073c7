package io.jobline.processor;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.jobline.core.files.FileStoreSettings;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.core.system.DataDirectory;
import io.jobline.core.system.ExternalKafka;
import io.jobline.processor.jobtype.csv.CsvLimits;

/**
 * The standalone processor's settings ({@code jobline.*} in jobline-processor.yml): the service's environment
 * variables and defaults, less what only the API uses.
 *
 * @param dataDir  where Streams state is kept; one process per folder (it is locked)
 * @param filesDir the local file store the API writes uploads to; unset: {@code files} under dataDir
 * @param files    the file store: local (in filesDir) or the API's S3 bucket
 */
@ConfigurationProperties("jobline")
public record ProcessorProperties(Path dataDir, Path filesDir, ExternalKafka kafka, Processor processor,
                                  JobTypeJars jobTypes, Csv csv, Secrets secrets, FileStoreSettings files) {

    public ProcessorProperties {
        files = files == null ? FileStoreSettings.LOCAL : files;
    }

    public Path filesDir(DataDirectory data) {
        return filesDir == null ? data.root().resolve("files") : filesDir;
    }

    /**
     * @param concurrency jobs this process runs at once
     * @param workerId    this worker's name in events; blank: the data folder's instance id
     */
    public record Processor(int concurrency, String workerId) {

        public String workerId(DataDirectory data) {
            return workerId == null || workerId.isBlank() ? data.instanceId() : workerId;
        }
    }

    /** @param path jar files, or folders of jars, with more job types, as the service's jobline.job-types.path */
    public record JobTypeJars(List<Path> path) {

        public JobTypeJars {
            path = path == null ? List.of() : List.copyOf(path);
        }
    }

    /**
     * @param keys the keys that open secret input values, as the service's jobline.secrets.keys; blank: none (a job
     *             with secrets then fails here, saying so)
     */
    public record Secrets(String keys) {

        public SecretInputs inputs() {
            return new SecretInputs(keys == null || keys.isBlank() ? SecretKeys.none() : SecretKeys.of(keys, null));
        }
    }

    /** csv-report's limits, as the service's jobline.csv.*. */
    public record Csv(int maxColumns, int maxRecordChars, long maxKeptChars) {

        public CsvLimits limits() {
            return new CsvLimits(maxColumns, maxRecordChars, Math.min(maxRecordChars, CsvLimits.DEFAULTS.maxFieldChars()),
                    maxKeptChars);
        }
    }
}
