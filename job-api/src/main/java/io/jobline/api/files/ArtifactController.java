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
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "jobs")
class ArtifactController {

    private final JobLookup lookup;
    private final FileStore files;

    ArtifactController(JobLookup lookup, FileStore files) {
        this.lookup = lookup;
        this.files = files;
    }

    @GetMapping("/api/jobs/{id}/artifacts/{name}")
    @Operation(operationId = "downloadJobFile", summary = "Download a job's file", description = "An artifact the job "
            + "produced, or else an input file uploaded with it, as an attachment; a type a browser would run comes as "
            + "application/octet-stream. Range requests are answered 206. From an object store: 307 to a presigned URL. "
            + "The job's owner may download it, and a worker of the job's type.")
    @ApiResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "*/*",
            schema = @Schema(types = "string", format = "binary")))
    @ApiResponse(responseCode = "206", description = "The requested byte ranges", content = @Content(mediaType = "*/*",
            schema = @Schema(types = "string", format = "binary")))
    @ApiResponse(responseCode = "307", description = "From an object store: its presigned GET URL",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Location", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "404", description = "No such job, or the job has no file of that name")
    @Problems({400, 404, 416, 503})
    ResponseEntity<Resource> download(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @PathVariable String name,
                                      @AuthenticationPrincipal Caller caller, @Parameter(hidden = true) HttpMethod method)
            throws IOException {
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
