package io.jobline.core.files;

import java.util.List;

/**
 * The keys of a job's files: every file of job {@code j} lies under {@code jobs/<j>/}. A command naming a file
 * outside its own job's folder is not trusted (it would hand one job another's files, or delete them with it).
 */
public final class FileKeys {

    private FileKeys() {
    }

    /** {@code jobs/<job id>/}: the folder every file of the job lies in. */
    public static String jobFolder(String jobId) {
        return "jobs/" + FileNames.safe(jobId) + "/";
    }

    /** A folder inside a job's folder, each of its {@code /}-separated segments made safe. */
    static String folder(String folder) {
        StringBuilder safe = new StringBuilder();
        for (String segment : folder.split("/")) {
            if (!segment.isEmpty()) {
                safe.append(safe.isEmpty() ? "" : "/").append(FileNames.safe(segment));
            }
        }
        if (safe.isEmpty()) {
            throw new IllegalArgumentException("Not a usable folder: '" + folder + "'");
        }
        return safe.toString();
    }

    /** Whether the key names a file inside the job's own folder, without any way out of it. */
    public static boolean belongsTo(String key, String jobId) {
        if (key == null || !key.startsWith(jobFolder(jobId)) || key.contains("\\")) {
            return false;
        }
        List<String> segments = List.of(key.split("/", -1));
        return segments.size() > 3 && segments.stream().noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
    }
}
