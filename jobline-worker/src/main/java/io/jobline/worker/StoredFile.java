package io.jobline.worker;

/**
 * A file in the service's file store: an upload a job reads, or an artifact it wrote.
 *
 * @param name        the file's name as the user sees it
 * @param key         where the store keeps it; null for an upload not yet stored
 * @param size        bytes
 * @param contentType the media type given at upload or when written
 */
public record StoredFile(String name, String key, long size, String contentType) {
}
