package io.jobline.api.workers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.jobline.api.status.JobResponse.FileResponse;
import io.jobline.core.files.FileStore;
import io.jobline.core.files.SignedUrl;
import io.jobline.worker.StoredFile;

/**
 * An input file of a task. {@code url} is the service's download, which works with any store (an object store's
 * answers with a redirect); {@code download_url}, for an object store, is a presigned GET straight from it, sent
 * without the worker's key, valid until {@code download_expires_at}. Null for the local store.
 */
record TaskFile(String name, long size, String contentType, String url,
                @io.swagger.v3.oas.annotations.media.Schema(nullable = true) String downloadUrl,
                @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Instant downloadExpiresAt) {

    static List<TaskFile> of(String jobId, List<StoredFile> files, FileStore store) {
        return files.stream().map(file -> {
            FileResponse served = FileResponse.of(jobId, List.of(file)).get(0);
            Optional<SignedUrl> signed = store.downloadUrl(file, file.contentType(), "attachment");
            return new TaskFile(served.name(), served.size(), served.contentType(), served.url(),
                    signed.map(s -> s.url().toString()).orElse(null), signed.map(SignedUrl::expiresAt).orElse(null));
        }).toList();
    }
}
