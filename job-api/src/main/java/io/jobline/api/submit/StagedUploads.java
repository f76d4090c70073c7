package io.jobline.api.submit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.api.problem.ApiException;
import io.jobline.core.files.FileStore;
import io.jobline.core.logging.JobLogContext;
import io.jobline.worker.StoredFile;

/**
 * The uploads of one submit request, stored durably in a folder of the job's own that is this request's alone
 * ({@code inputs/<request id>/}): a refused submit removes exactly its files, never those of the job another
 * request made under the same id (an Idempotency-Key race).
 */
final class StagedUploads {

    private static final Logger log = LoggerFactory.getLogger(StagedUploads.class);

    private final FileStore store;
    private final String jobId;
    private final String folder;
    private final List<StoredFile> files;

    private StagedUploads(FileStore store, String jobId, String folder, List<StoredFile> files) {
        this.store = store;
        this.jobId = jobId;
        this.folder = folder;
        this.files = files;
    }

    static StagedUploads store(FileStore store, String jobId, List<Upload> uploads) {
        String folder = FileStore.INPUTS + "/" + UUID.randomUUID().toString().substring(0, 8);
        StagedUploads staged = new StagedUploads(store, jobId, folder, new ArrayList<>());
        try {
            for (Upload upload : uploads) {
                try (InputStream in = upload.open()) {
                    staged.files.add(store.save(jobId, folder, upload.name(), upload.contentType(), in));
                }
            }
            return staged;
        } catch (IOException e) {
            staged.discard();
            throw ApiException.unavailable("Could not store the uploaded files: " + e.getMessage());
        }
    }

    List<StoredFile> files() {
        return List.copyOf(files);
    }

    /** The submit was refused or not confirmed: its files go. */
    void discard() {
        if (files.isEmpty()) {
            return;
        }
        try {
            store.deleteFolder(jobId, folder);
        } catch (IOException e) {
            try (JobLogContext ignored = JobLogContext.of(jobId)) {
                log.warn("Could not remove the uploads of a refused submit of job {}: {}", jobId, e.toString());
            }
        }
    }
}
