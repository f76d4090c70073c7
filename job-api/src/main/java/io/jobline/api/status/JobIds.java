package io.jobline.api.status;

import java.util.UUID;

import io.jobline.api.problem.ApiException;

/** Job ids are random UUIDs; anything else in a path is a bad request, not an unknown job. */
public final class JobIds {

    private JobIds() {
    }

    public static String require(String id) {
        try {
            return UUID.fromString(id).toString().equals(id.toLowerCase()) ? id.toLowerCase() : reject(id);
        } catch (IllegalArgumentException e) {
            return reject(id);
        }
    }

    private static String reject(String id) {
        throw ApiException.badRequest("Job id '" + id + "' is not a UUID");
    }
}
