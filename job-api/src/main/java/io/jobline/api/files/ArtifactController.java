package io.jobline.api.files;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.access.JobAccess;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.core.files.FileStore;
import io.jobline.core.files.SignedUrl;
import io.jobline.projections.view.JobView;
import io.jobline.worker.StoredFile;

/**
 * Downloads a job's files, produced artifacts first, then uploaded inputs, as attachments with a type a browser will
 * not run ({@link ServedTypes}). From a local store the service sends the bytes: Spring MVC answers Range requests on
 * a Resource body with 206 and the requested byte ranges. From an object store it answers 307 with a presigned GET
 * URL carrying the same type and disposition, so the bytes (and Range requests) go straight to the store and any
 * instance can answer. The job's owner may download them, and so may a worker of the job's type (a task names its
 * input files by URL).
 */
@RestController
class ArtifactController {

    private final JobLookup lookup;
    private final FileStore files;

    ArtifactController(JobLookup lookup, FileStore files) {
        this.lookup = lookup;
        this.files = files;
    }

    @GetMapping("/api/jobs/{id}/artifacts/{name}")
    ResponseEntity<Resource> download(@PathVariable String id, @PathVariable String name,
                                      @AuthenticationPrincipal Caller caller, HttpMethod method) throws IOException {
        JobView job = lookup.require(id);
        if (!JobAccess.readsFilesOf(caller, job.owner(), job.type())) {
            throw ApiException.jobNotFound(job.jobId());
        }
        StoredFile file = Stream.concat(job.artifacts().stream(), job.files().stream())
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("File not found", "Job " + job.jobId() + " has no file named '" + name + "'"));
        MediaType type = ServedTypes.of(file.contentType());
        String disposition = ContentDisposition.attachment().filename(file.name()).build().toString();
        Optional<SignedUrl> signed = files.downloadUrl(file, type.toString(), disposition);
        if (signed.isPresent() && method == HttpMethod.HEAD) {
            // A presigned GET does not answer HEAD (the method is signed): the view knows what HEAD tells.
            return ResponseEntity.ok().contentType(type).contentLength(file.size())
                    .header("X-Content-Type-Options", "nosniff")
                    .header(HttpHeaders.CONTENT_DISPOSITION, disposition)
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes").build();
        }
        if (signed.isPresent()) {
            // 307, not 302: the method stays GET whatever the client; no-store, as the URL expires.
            return ResponseEntity.status(HttpStatus.TEMPORARY_REDIRECT).location(signed.get().url())
                    .cacheControl(CacheControl.noStore()).build();
        }
        var path = files.path(file);
        if (!Files.isReadable(path)) {
            throw ApiException.notFound("File not found", "The file '" + name + "' is no longer in the file store");
        }
        return ResponseEntity.ok()
                .contentType(type)
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition)
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .body(new FileSystemResource(path));
    }
}
