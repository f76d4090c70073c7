package io.jobline.core.files;

/** Turns a user-supplied file name into one that is safe as a single path segment. */
public final class FileNames {

    private static final int MAX_LENGTH = 200;

    private FileNames() {
    }

    public static String safe(String name) {
        if (name == null) {
            throw new IllegalArgumentException("A file needs a name");
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder safe = new StringBuilder(base.length());
        base.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) || c == ':' ? '_' : c));
        String result = safe.toString().strip();
        if (result.isEmpty() || result.equals(".") || result.equals("..")) {
            throw new IllegalArgumentException("Not a usable file name: '" + name + "'");
        }
        return result.length() > MAX_LENGTH ? result.substring(result.length() - MAX_LENGTH) : result;
    }
}
