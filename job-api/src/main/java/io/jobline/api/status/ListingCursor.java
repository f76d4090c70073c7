package io.jobline.api.status;

import java.util.regex.Pattern;

/**
 * A listing's {@code next_after}: the listing index key of a page's last job (19 digits of inverted creation time,
 * then the job id), where the next page starts. Opaque to clients; checked here so a made-up one is a 400.
 */
final class ListingCursor {

    private static final Pattern KEY = Pattern.compile("\\d{19}[A-Za-z0-9_-]{1,200}");

    private ListingCursor() {
    }

    static boolean isValid(String cursor) {
        return KEY.matcher(cursor).matches();
    }
}
