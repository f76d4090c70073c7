package io.jobline.core.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

import io.jobline.worker.StoredFile;


/**
 * Where uploaded inputs and produced artifacts live. Kafka records carry only references to them. Two kinds: a local
 * folder ({@link LocalFileStore}) and any S3 API ({@link S3FileStore}), which also hands out presigned URLs so that
 * clients and external workers move file bytes without passing them through the service.
 */
public interface FileStore extends Closeable {

    String INPUTS = "inputs";
    String ARTIFACTS = "artifacts";

    /**
     * Stores {@code content} as file {@code name} of a job, in {@code folder} ({@link #INPUTS} or {@link #ARTIFACTS},
     * or a folder below them, {@code /}-separated), durably: it is on disk when this returns.
     */
    StoredFile save(String jobId, String folder, String name, String contentType, InputStream content) throws IOException;

    /**
     * A local file with the content behind a reference, for code that needs a file on disk: the stored file itself
     * in a local store, a copy in a bounded cache folder in an object store (valid until the cache evicts it).
     */
    Path path(StoredFile ref) throws IOException;

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

    /**
     * A URL anyone holding it may GET the file from for a while, served with the given {@code Content-Type} and
     * {@code Content-Disposition}; empty when the store cannot hand one out (a local folder: the service serves it).
     */
    default Optional<SignedUrl> downloadUrl(StoredFile ref, String contentType, String contentDisposition) {
        return Optional.empty();
    }

    /**
     * A URL anyone holding it may PUT file {@code name} of a job's {@code folder} to for a while, with the returned
     * headers; the file is then found by {@link #list}. Empty when the store cannot hand one out.
     */
    default Optional<SignedUrl> uploadUrl(String jobId, String folder, String name, String contentType) {
        return Optional.empty();
    }

    @Override
    default void close() throws IOException {
    }
}
