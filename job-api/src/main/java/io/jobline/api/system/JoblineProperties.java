package io.jobline.api.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.jobline.core.files.FileStoreSettings;
import io.jobline.processor.jobtype.csv.CsvLimits;

/**
 * The service's settings ({@code jobline.*} in application.yml, each with an environment variable).
 *
 * @param dataDir where the embedded broker, Streams state and the local file store keep their data
 * @param files   where uploads and artifacts are kept: the local folder (default) or an S3 bucket
 */
@ConfigurationProperties("jobline")
public record JoblineProperties(Path dataDir, Kafka kafka, Processor processor, Submit submit, Live live,
                                Retention retention, Csv csv, JobTypeJars jobTypes, Secrets secrets, Quotas quotas,
                                Access access, FileStoreSettings files) {

    public JoblineProperties {
        access = access == null ? new Access(null, null, null, null, null) : access;
        files = files == null ? FileStoreSettings.LOCAL : files;
    }

    /**
     * @param bootstrapServers an existing cluster; blank starts the embedded broker
     * @param embeddedPort     client port of the embedded broker (0: any free port)
     * @param sessionTimeoutMs how long a silent instance keeps its partitions before its jobs move elsewhere
     *                         (0: Kafka's default, 45 s)
     * @param processingGuarantee exactly_once_v2 (default) or at_least_once, for both Streams applications
     */
    /**
     * @param clientConfig a properties file of settings for every Kafka client and the registry client (security);
     *                     blank: none
     * @param client       the same settings given one by one; they override the file's
     */
    public record Kafka(String bootstrapServers, int embeddedPort, int partitions, short replicationFactor,
                        long deciderCommitIntervalMs, long projectionCommitIntervalMs, int sessionTimeoutMs,
                        String processingGuarantee, String clientConfig, Map<String, String> client) {

        public boolean embedded() {
            return bootstrapServers == null || bootstrapServers.isBlank();
        }
    }

    /**
     * @param enabled     run the processor (decider and workers) in this process
     * @param concurrency jobs this process runs at once
     * @param workerId    this worker's name in events; blank: host name and a random suffix
     */
    public record Processor(boolean enabled, int concurrency, String workerId) {
    }

    /**
     * @param ackTimeout  how long a submit waits for the broker to acknowledge the command
     * @param maxBodySize largest JSON request body; larger ones get 413
     */
    public record Submit(Duration ackTimeout, DataSize maxBodySize) {
    }

    /** @param finishedJobs how long finished jobs are kept before they are deleted; 0 keeps them forever */
    public record Retention(Duration finishedJobs) {
    }

    /**
     * What each owner may submit; an owner named under {@code owners} has its own limits (unset ones: the defaults).
     *
     * @param submitsPerSecond jobs one owner may submit a second (a burst of as many passes); 0: no limit
     * @param activeJobs       jobs one owner may have pending or running at once; 0: no limit
     * @param uploadBytes      bytes of uploaded files one owner's retained jobs may hold; 0 (or unset): no limit
     */
    public record Quotas(int submitsPerSecond, long activeJobs, DataSize uploadBytes, Map<String, OwnerQuota> owners) {

        public static final Quotas NONE = new Quotas(0, 0, null, Map.of());

        public Quotas {
            uploadBytes = uploadBytes == null ? DataSize.ofBytes(0) : uploadBytes;
            owners = owners == null ? Map.of() : Map.copyOf(owners);
        }

        public Quota of(String owner) {
            OwnerQuota own = owners.get(owner);
            return own == null ? new Quota(submitsPerSecond, activeJobs, uploadBytes.toBytes())
                    : new Quota(own.submitsPerSecond() == null ? submitsPerSecond : own.submitsPerSecond(),
                            own.activeJobs() == null ? activeJobs : own.activeJobs(),
                            (own.uploadBytes() == null ? uploadBytes : own.uploadBytes()).toBytes());
        }
    }

    /** One owner's limits; null: the default. */
    public record OwnerQuota(Integer submitsPerSecond, Long activeJobs, DataSize uploadBytes) {
    }

    /** The limits that apply to one owner. */
    public record Quota(int submitsPerSecond, long activeJobs, long uploadBytes) {
    }

    /**
     * @param keys the keys that seal secret input values, {@code id:base64,...}, the first sealing; blank: a key kept
     *             in the data folder
     */
    public record Secrets(String keys) {
    }

    /**
     * @param path jar files, or folders of jars, with more job types, each listed in
     *             {@code META-INF/services/io.jobline.worker.JobType}; found besides those on the class path
     */
    public record JobTypeJars(List<Path> path) {

        public JobTypeJars {
            path = path == null ? List.of() : List.copyOf(path);
        }
    }

    /**
     * Limits of the csv-report job type: what one uploaded file may hold, and what its statistics may keep.
     *
     * @param maxColumns     fields one record may have
     * @param maxRecordChars characters one record's fields may hold together (one field at most as many)
     * @param maxKeptChars   characters of values the statistics of one file may keep, all columns together
     */
    public record Csv(int maxColumns, int maxRecordChars, long maxKeptChars) {

        public CsvLimits limits() {
            return new CsvLimits(maxColumns, maxRecordChars, Math.min(maxRecordChars, CsvLimits.DEFAULTS.maxFieldChars()),
                    maxKeptChars);
        }
    }

    /**
     * @param queueCapacity            messages that may wait for one push client before it is disconnected as too slow
     * @param maxConnections           WebSocket and SSE connections open at once; more are answered 429
     * @param maxConnectionsPerAddress of them from one client address (an IPv6 client: its /64); more are answered 429
     * @param sendTimeout              how long a write to one push client may block before that client is disconnected
     */
    public record Live(int queueCapacity, int maxConnections, int maxConnectionsPerAddress, Duration sendTimeout) {
    }

    /**
     * Who may call the service.
     *
     * @param mode           {@code auto}: protected mode (loopback clients only, as the admin {@code local}) until an
     *                       API key exists or {@code adminKey} is set, keys for every request from then on;
     *                       {@code keys}: every request needs a key from the start
     * @param adminKey       a key with every scope, acting as owner {@code admin}, kept in memory only (for making
     *                       the first keys where no loopback client can); blank: none
     * @param allowedOrigins browser origins (like {@code https://jobs.example.com}) let in beside the service's own
     *                       and loopback ones: for WebSocket and SSE handshakes, and loopback requests in protected
     *                       mode
     */
    public record Access(Mode mode, String adminKey, List<String> allowedOrigins, Jwt jwt, Oidc oidc) {

        public enum Mode { AUTO, KEYS }

        public Access {
            jwt = jwt == null ? new Jwt(null, null, null, null) : jwt;
            oidc = oidc == null ? new Oidc(null, null, null, null) : oidc;
            if (oidc.enabled() && jwt.issuerUri() == null) {
                throw new IllegalArgumentException("jobline.access.oidc.client-id (JOBLINE_OIDC_CLIENT_ID) needs the "
                        + "identity provider's issuer too: set jobline.access.jwt.issuer-uri (JOBLINE_JWT_ISSUER_URI)");
            }
            mode = mode == null ? Mode.AUTO : mode;
            adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey.trim();
            allowedOrigins = allowedOrigins == null ? List.of()
                    : allowedOrigins.stream().filter(o -> o != null && !o.isBlank()).map(String::trim).toList();
        }

        /**
         * OIDC/JWT bearer tokens, besides API keys: on when an issuer or a JWK set is given.
         *
         * @param issuerUri  the issuer: tokens must name it ({@code iss}); without a JWK set URI, its OpenID
         *                   configuration says where the keys are
         * @param jwkSetUri  where the signing keys are (JWK set)
         * @param audience   the audience tokens must name ({@code aud}); blank: not checked
         * @param ownerClaim the claim that names the owner; blank: {@code sub}
         */
        public record Jwt(String issuerUri, String jwkSetUri, String audience, String ownerClaim) {

            public Jwt {
                issuerUri = blankToNull(issuerUri);
                jwkSetUri = blankToNull(jwkSetUri);
                audience = blankToNull(audience);
                ownerClaim = ownerClaim == null || ownerClaim.isBlank() ? "sub" : ownerClaim.trim();
            }

            public boolean enabled() {
                return issuerUri != null || jwkSetUri != null;
            }

        }

        /**
         * The dashboard's sign-in through the identity provider of {@link Jwt#issuerUri()} (authorization code with
         * PKCE): on when a client id is given. Its access token, checked as any bearer token, is the session.
         *
         * @param clientId     the client registered at the provider for the dashboard
         * @param clientSecret its secret, for a confidential client (sent as HTTP basic); blank: a public client
         * @param scopes       the scopes asked for, space-separated; blank: {@code openid}
         * @param redirectUri  where the provider sends the browser back; blank: this service's
         *                     {@code /api/session/oidc/callback} as the request reached it
         */
        public record Oidc(String clientId, String clientSecret, String scopes, String redirectUri) {

            public Oidc {
                clientId = blankToNull(clientId);
                clientSecret = blankToNull(clientSecret);
                scopes = scopes == null || scopes.isBlank() ? "openid" : scopes.trim();
                redirectUri = blankToNull(redirectUri);
            }

            public boolean enabled() {
                return clientId != null;
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
