package io.jobline.core.files;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * Which file store a process uses ({@code jobline.files.*}, the same in the service and the standalone processor).
 *
 * @param store        {@code local} (default): a folder on this machine; {@code s3}: a bucket of any S3 API, which
 *                     every API instance and worker of a deployment can reach
 * @param s3           the bucket, for {@code s3}
 * @param cacheMaxSize how much the folder of local copies of S3 objects ({@link FileStore#path}) may hold
 */
public record FileStoreSettings(Kind store, S3 s3, DataSize cacheMaxSize) {

    public enum Kind { LOCAL, S3 }

    public static final FileStoreSettings LOCAL = new FileStoreSettings(Kind.LOCAL, null, null);

    public FileStoreSettings {
        store = store == null ? Kind.LOCAL : store;
        s3 = s3 == null ? new S3(null, null, null, null, null, false, null, null, null, null) : s3;
        cacheMaxSize = cacheMaxSize == null ? DataSize.ofGigabytes(5) : cacheMaxSize;
    }

    /**
     * @param bucket          the bucket (it must exist; the store checks at start)
     * @param prefix          a folder in the bucket for every key, e.g. {@code jobline/}; blank: the bucket's root
     * @param endpoint        the S3 API's URL (MinIO, SeaweedFS, R2, moto); blank: AWS, by region
     * @param publicEndpoint  the endpoint put in presigned URLs, where clients reach the S3 API by another name than
     *                        this process does (a container network); blank: {@code endpoint}
     * @param region          blank: the SDK's region chain (AWS_REGION, profile), else us-east-1
     * @param pathStyle       {@code endpoint/bucket/key} URLs instead of {@code bucket.endpoint/key}: most
     *                        self-hosted S3 servers need it
     * @param accessKeyId     with {@code secretAccessKey}: explicit credentials; blank: the SDK's default chain
     *                        (environment, profile, web identity, container or instance role)
     * @param partSize        uploads are sent in parts of this size (5 MB or more), one part in memory at a time
     * @param presignExpiry   how long a presigned URL is valid
     */
    public record S3(String bucket, String prefix, String endpoint, String publicEndpoint, String region,
                     boolean pathStyle, String accessKeyId, String secretAccessKey, DataSize partSize,
                     Duration presignExpiry) {

        static final DataSize MIN_PART = DataSize.ofMegabytes(5);

        public S3 {
            bucket = blankToNull(bucket);
            prefix = prefix == null || prefix.strip().replaceAll("^/+|/+$", "").isEmpty() ? ""
                    : prefix.strip().replaceAll("^/+|/+$", "") + "/";
            endpoint = blankToNull(endpoint);
            publicEndpoint = blankToNull(publicEndpoint);
            region = blankToNull(region);
            accessKeyId = blankToNull(accessKeyId);
            secretAccessKey = blankToNull(secretAccessKey);
            partSize = partSize == null ? DataSize.ofMegabytes(8) : partSize;
            presignExpiry = presignExpiry == null ? Duration.ofMinutes(15) : presignExpiry;
        }

        @Override
        public String toString() {
            // Never the secret.
            return "S3[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                    + ", pathStyle=" + pathStyle + ", credentials=" + (accessKeyId == null ? "default chain" : "explicit") + "]";
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    /**
     * Opens the configured store.
     *
     * @param localRoot the folder of the local store
     * @param cacheDir  the folder of local copies of an object store's files
     */
    public FileStore open(Path localRoot, Path cacheDir) throws IOException {
        if (store == Kind.LOCAL) {
            return new LocalFileStore(localRoot);
        }
        if (s3.bucket() == null) {
            throw new IllegalArgumentException("jobline.files.store is s3 but no bucket is set (JOBLINE_S3_BUCKET)");
        }
        if (s3.partSize().compareTo(S3.MIN_PART) < 0 || s3.partSize().toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("jobline.files.s3.part-size must be from 5MB to 2GB, not " + s3.partSize());
        }
        if ((s3.accessKeyId() == null) != (s3.secretAccessKey() == null)) {
            throw new IllegalArgumentException("Set both JOBLINE_S3_ACCESS_KEY_ID and JOBLINE_S3_SECRET_ACCESS_KEY, or"
                    + " neither (the SDK's default credentials)");
        }
        return S3FileStore.open(s3, new LocalCopies(cacheDir, cacheMaxSize.toBytes()));
    }
}
