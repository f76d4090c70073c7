package io.jobline.api.files;

import java.nio.file.Files;
import java.util.stream.Stream;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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
import io.jobline.projections.view.JobView;
import io.jobline.worker.StoredFile;

/**
 * Downloads a job's files, produced artifacts first, then uploaded inputs, as attachments with a type a browser will
 * not run ({@link ServedTypes}). Spring MVC answers Range requests on a Resource body with 206 and the requested
 * byte ranges. The job's owner may download them, and so may a worker of the job's type (a task names its input
 * files by URL).
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
                                      @AuthenticationPrincipal Caller caller) {
        JobView job = lookup.require(id);
        if (!JobAccess.readsFilesOf(caller, job.owner(), job.type())) {
            throw ApiException.jobNotFound(job.jobId());
        }
        StoredFile file = Stream.concat(job.artifacts().stream(), job.files().stream())
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("File not found", "Job " + job.jobId() + " has no file named '" + name + "'"));
        var path = files.path(file);
        if (!Files.isReadable(path)) {
            throw ApiException.notFound("File not found", "The file '" + name + "' is no longer in the file store");
        }
        return ResponseEntity.ok()
                .contentType(ServedTypes.of(file.contentType()))
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.name()).build().toString())
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .body(new FileSystemResource(path));
    }
}
