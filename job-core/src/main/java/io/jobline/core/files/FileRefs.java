package io.jobline.core.files;

import java.util.List;

import io.jobline.schemas.common.FileRef;
import io.jobline.worker.StoredFile;

/**
 * Converts between {@link StoredFile}, a file as jobs and state stores see it, and {@link FileRef}, its form in Kafka
 * records.
 */
public final class FileRefs {

    private FileRefs() {
    }

    public static StoredFile toStored(FileRef ref) {
        return new StoredFile(ref.getName(), ref.getKey(), ref.getSize(), ref.getContentType());
    }

    public static List<StoredFile> toStored(List<FileRef> refs) {
        return refs.stream().map(FileRefs::toStored).toList();
    }

    public static FileRef toRef(StoredFile file) {
        return new FileRef(file.name(), file.key(), file.size(), file.contentType());
    }

    public static List<FileRef> toRefs(List<StoredFile> files) {
        return files.stream().map(FileRefs::toRef).toList();
    }
}
