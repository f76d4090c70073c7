package io.jobline.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import io.jobline.worker.StoredFile;


/** Where uploaded inputs and produced artifacts live. Kafka records carry only references to them. */
public interface FileStore {

    String INPUTS = "inputs";
    String ARTIFACTS = "artifacts";

    /**
     * Stores {@code content} as file {@code name} of a job, in {@code folder} ({@link #INPUTS} or {@link #ARTIFACTS},
     * or a folder below them, {@code /}-separated), durably: it is on disk when this returns.
     */
    StoredFile save(String jobId, String folder, String name, String contentType, InputStream content) throws IOException;

    /** The local file behind a reference. */
    Path path(StoredFile ref);

    InputStream open(StoredFile ref) throws IOException;

    /**
     * The files saved in one folder of a job (not below it), by name; their content type is guessed from the name,
     * as the store keeps none.
     */
    java.util.List<StoredFile> list(String jobId, String folder) throws IOException;

    /** Removes every file of a job. */
    void deleteJob(String jobId) throws IOException;

    /** Removes one folder of a job's files, with everything in it. */
    void deleteFolder(String jobId, String folder) throws IOException;
}
