package io.jobline.processor.files;

import java.util.List;

import io.jobline.schemas.common.FileRef;

/** A file in the file store, as jobs and state stores see it; {@link FileRef} is its form in Kafka records. */
public record StoredFile(String name, String key, long size, String contentType) {

    public static StoredFile of(FileRef ref) {
        return new StoredFile(ref.getName(), ref.getKey(), ref.getSize(), ref.getContentType());
    }

    public static List<StoredFile> of(List<FileRef> refs) {
        return refs.stream().map(StoredFile::of).toList();
    }

    public FileRef toRef() {
        return new FileRef(name, key, size, contentType);
    }

    public static List<FileRef> toRefs(List<StoredFile> files) {
        return files.stream().map(StoredFile::toRef).toList();
    }
}
