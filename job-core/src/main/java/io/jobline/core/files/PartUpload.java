package io.jobline.core.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams content of unknown length into one object, holding one part in memory at a time: a file that fits in one
 * part is one PutObject; a larger one a multipart upload of parts of {@code partSize} bytes (the last one shorter),
 * aborted if anything fails, so no half-written object or orphaned parts are left. Memory per upload is one part,
 * whatever the file's size (10,000 parts at most: 78 GiB with 8 MiB parts).
 */
final class PartUpload {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final int partSize;

    PartUpload(S3Client s3, String bucket, String key, String contentType, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.partSize = partSize;
    }

    /** @return the number of bytes stored */
    long upload(InputStream content) throws IOException {
        byte[] buffer = content.readNBytes(partSize);
        if (buffer.length < partSize) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) buffer.length),
                    body(buffer, buffer.length, contentType));
            return buffer.length;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            int length = buffer.length;
            while (length > 0) {
                int number = parts.size() + 1;
                int partLength = length;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) partLength), body(buffer, partLength, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                size += length;
                length = content.readNBytes(buffer, 0, partSize);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            return size;
        } catch (IOException | RuntimeException e) {
            abort(uploadId, e);
            throw e;
        }
    }

    /** The part's bytes, read again from the same buffer if the SDK retries, never copied. */
    private static RequestBody body(byte[] buffer, int length, String contentType) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, contentType);
    }

    private void abort(String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e);
        }
    }
}
