package io.jobline.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServedTypesTest {

    @Test
    void shouldServeMediaDocumentsAndDataAsTheyWereStored() {
        assertThat(ServedTypes.of("video/mp4")).hasToString("video/mp4");
        assertThat(ServedTypes.of("image/png")).hasToString("image/png");
        assertThat(ServedTypes.of("application/pdf")).hasToString("application/pdf");
        assertThat(ServedTypes.of("text/csv; charset=UTF-8")).hasToString("text/csv;charset=UTF-8");
        assertThat(ServedTypes.of("application/json")).hasToString("application/json");
    }

    @Test
    void shouldServeWhatABrowserWouldRunAsBytes() {
        assertThat(ServedTypes.of("text/html")).hasToString("application/octet-stream");
        assertThat(ServedTypes.of("image/svg+xml")).hasToString("application/octet-stream");
        assertThat(ServedTypes.of("application/javascript")).hasToString("application/octet-stream");
        assertThat(ServedTypes.of("text/xml")).hasToString("application/octet-stream");
        assertThat(ServedTypes.of("text/plain; name=\"x.html\"")).as("parameters dropped").hasToString("text/plain");
        assertThat(ServedTypes.of("not a type")).hasToString("application/octet-stream");
        assertThat(ServedTypes.of(null)).hasToString("application/octet-stream");
    }
}
