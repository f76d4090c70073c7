package io.jobline.api.files;

import java.util.Set;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The Content-Type a stored file is served with: the one it was stored with when a browser cannot run it as a page
 * or a script (media, PDF, plain text, JSON, CSV, archives), else {@code application/octet-stream}. An uploaded
 * {@code text/html} or {@code image/svg+xml} served as itself would run in the service's origin.
 */
final class ServedTypes {

    private static final Set<String> INERT_TOP_LEVEL = Set.of("image", "audio", "video");
    private static final Set<MediaType> INERT = Set.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
            MediaType.APPLICATION_PDF, MediaType.parseMediaType("text/csv"), MediaType.parseMediaType("application/zip"),
            MediaType.parseMediaType("application/gzip"), MediaType.parseMediaType("application/x-ndjson"));
    private static final Set<String> ACTIVE_IMAGES = Set.of("svg+xml");

    private ServedTypes() {
    }

    static MediaType of(String stored) {
        if (stored == null) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(stored);
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        boolean media = INERT_TOP_LEVEL.contains(type.getType()) && !ACTIVE_IMAGES.contains(type.getSubtype());
        boolean inert = INERT.stream().anyMatch(safe -> safe.equalsTypeAndSubtype(type));
        return media || inert ? new MediaType(type.getType(), type.getSubtype(), type.getCharset() == null ? java.util.Map.of()
                : java.util.Map.of("charset", type.getCharset().name())) : MediaType.APPLICATION_OCTET_STREAM;
    }
}
