package io.jobline.core.jobtype;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Jars of job types beside the service's own class path (jobline.job-types.path): jar files, or folders of jars. */
final class JobTypesPath {

    private JobTypesPath() {
    }

    /** A loader over the jars of {@code path} whose parent is {@code parent}; {@code parent} when there are none. */
    static ClassLoader classLoader(ClassLoader parent, List<Path> path) {
        List<URL> jars = new ArrayList<>();
        path.forEach(entry -> jars.addAll(jars(entry)));
        if (jars.isEmpty()) {
            return parent;
        }
        // Never closed: the types found through it load their classes lazily, for as long as the process runs.
        return new URLClassLoader("job-types", jars.toArray(URL[]::new), parent);
    }

    private static List<URL> jars(Path entry) {
        if (Files.isRegularFile(entry)) {
            return List.of(url(entry));
        }
        if (!Files.isDirectory(entry)) {
            throw new IllegalArgumentException("No jar or folder of jars at " + entry.toAbsolutePath()
                    + " (jobline.job-types.path)");
        }
        try (Stream<Path> files = Files.list(entry)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().map(JobTypesPath::url).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the job types folder " + entry.toAbsolutePath(), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Not a usable jar path: " + jar, e);
        }
    }
}
