package io.jobline.api.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error statuses an operation answers besides 401 and 403 (which every operation that needs a key may answer),
 * each documented as an {@code application/problem+json} {@link Problem}: {@code @Problems({400, 404, 409})}. An
 * {@code @ApiResponse} of the same status on the method gives a more specific description.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Problems {

    int[] value();
}
