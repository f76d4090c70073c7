package io.jobline.core.files;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import io.jobline.worker.StoredFile;

/**
 * A file store in a bucket of any S3 API (AWS, MinIO, SeaweedFS, R2): object {@code <prefix>jobs/<job id>/<folder>/<name>}
 * for file key {@code jobs/<job id>/<folder>/<name>}, so the keys in Kafka records are the same whichever store wrote
 * them. Uploads stream in bounded parts ({@link PartUpload}); downloads and worker uploads can bypass the service by
 * presigned URL. A saved object is durable when S3 acknowledges it, before {@link #save} returns.
 */
public final class S3FileStore implements FileStore {

    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final Duration presignExpiry;
    private final LocalCopies copies;

    private S3FileStore(S3Client s3, S3Presigner presigner, FileStoreSettings.S3 settings, LocalCopies copies) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.partSize = (int) settings.partSize().toBytes();
        this.presignExpiry = settings.presignExpiry();
        this.copies = copies;
    }

    /** Connects, and checks that the bucket is there and readable: a wrong setting fails the start, not a submit. */
    static S3FileStore open(FileStoreSettings.S3 settings, LocalCopies copies) throws IOException {
        S3Client s3 = S3Connection.client(settings);
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            s3.close();
            throw new IOException("The S3 bucket is not reachable with " + settings + ": " + e.getMessage(), e);
        }
        return new S3FileStore(s3, S3Connection.presigner(settings), settings, copies);
    }

    @Override
    public StoredFile save(String jobId, String folder, String name, String contentType, InputStream content) throws IOException {
        String safeName = FileNames.safe(name);
        String key = FileKeys.jobFolder(jobId) + FileKeys.folder(folder) + "/" + safeName;
        try {
            long size = new PartUpload(s3, bucket, objectKey(key), contentType, partSize).upload(content);
            return new StoredFile(safeName, key, size, contentType);
        } catch (SdkException e) {
            throw new IOException("Could not store " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path path(StoredFile ref) throws IOException {
        return copies.get(ref, () -> open(ref));
    }

    @Override
    public InputStream open(StoredFile ref) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey(ref.key())));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException(ref.key() + " is not in bucket " + bucket);
        } catch (SdkException e) {
            throw new IOException("Could not read " + ref.key() + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredFile> list(String jobId, String folder) throws IOException {
        String keyPrefix = FileKeys.jobFolder(jobId) + FileKeys.folder(folder) + "/";
        try {
            List<StoredFile> found = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(objectKey(keyPrefix)).delimiter("/")).contents()) {
                String name = object.key().substring(objectKey(keyPrefix).length());
                String type = URLConnection.guessContentTypeFromName(name);
                found.add(new StoredFile(name, keyPrefix + name, object.size(), type == null ? "application/octet-stream" : type));
            }
            return found;
        } catch (SdkException e) {
            throw new IOException("Could not list " + keyPrefix + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteJob(String jobId) throws IOException {
        deleteUnder(FileKeys.jobFolder(jobId));
    }

    @Override
    public void deleteFolder(String jobId, String folder) throws IOException {
        deleteUnder(FileKeys.jobFolder(jobId) + FileKeys.folder(folder) + "/");
    }

    /** Every object under the key prefix, unfinished multipart uploads included (their parts are stored and billed). */
    private void deleteUnder(String keyPrefix) throws IOException {
        String objectPrefix = objectKey(keyPrefix);
        try {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(objectPrefix)).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleteObjects(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                deleteObjects(batch);
            }
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(objectPrefix)).uploads().forEach(upload ->
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
        } catch (SdkException e) {
            throw new IOException("Could not delete " + keyPrefix + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
        copies.forget(keyPrefix);
    }

    private void deleteObjects(List<ObjectIdentifier> batch) throws IOException {
        var answer = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        if (answer.hasErrors() && !answer.errors().isEmpty()) {
            var first = answer.errors().get(0);
            throw new IOException(answer.errors().size() + " objects were not deleted from bucket " + bucket
                    + ", first " + first.key() + ": " + first.code() + " " + first.message());
        }
    }

    @Override
    public Optional<SignedUrl> downloadUrl(StoredFile ref, String contentType, String contentDisposition) {
        return Optional.of(signed(presigner.presignGetObject(p -> p.signatureDuration(presignExpiry)
                .getObjectRequest(b -> b.bucket(bucket).key(objectKey(ref.key()))
                        .responseContentType(contentType).responseContentDisposition(contentDisposition))), "GET"));
    }

    @Override
    public Optional<SignedUrl> uploadUrl(String jobId, String folder, String name, String contentType) {
        String key = FileKeys.jobFolder(jobId) + FileKeys.folder(folder) + "/" + FileNames.safe(name);
        return Optional.of(signed(presigner.presignPutObject(p -> p.signatureDuration(presignExpiry)
                .putObjectRequest(b -> b.bucket(bucket).key(objectKey(key)).contentType(contentType))), "PUT"));
    }

    private static SignedUrl signed(PresignedRequest request, String method) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Host comes from the URL; every other signed header must be sent as signed.
        request.signedHeaders().forEach((header, values) -> {
            if (!header.equalsIgnoreCase("host")) {
                headers.put(header, String.join(",", values));
            }
        });
        try {
            return new SignedUrl(request.url().toURI(), method, headers, request.expiration());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The SDK presigned an invalid URL", e);
        }
    }

    private String objectKey(String key) {
        return prefix + key;
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
