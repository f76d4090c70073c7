package io.jobline.api.openapi;

/** The security scheme of a one-time ticket, for the operations a browser opens without a header (the streams). */
public final class OpenApiTicket {

    public static final String NAME = OpenApiConfiguration.TICKET;

    private OpenApiTicket() {
    }
}
