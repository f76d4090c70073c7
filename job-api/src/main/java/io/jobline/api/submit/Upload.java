package io.jobline.api.submit;

import java.io.IOException;
import java.io.InputStream;

/** A file that came with a submit request. */
interface Upload {

    String name();

    long size();

    String contentType();

    InputStream open() throws IOException;
}
