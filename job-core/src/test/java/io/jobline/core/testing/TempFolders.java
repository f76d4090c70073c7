package io.jobline.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders of their own for tests that need one outside JUnit's {@code @TempDir} (a topology driver's state). */
public final class TempFolders {

    private TempFolders() {
    }

    /** A new, empty folder, deleted when the JVM exits (if it is empty by then). */
    public static Path create(String prefix) {
        try {
            Path folder = Files.createTempDirectory(prefix);
            folder.toFile().deleteOnExit();
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
