package io.jobline.api.sdk;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK's suite (clients/python, pytest) against this module's service jar. Tagged "alone": it runs beside
 * ClusterIT, after the other classes (job-api/pom.xml). {@code -DskipPythonTests=true} skips it.
 */
@Tag("alone")
class PythonSdkIT {

    @Test
    void shouldPassThePythonSdkSuite() throws Exception {
        assumeFalse(SdkSuite.skipped("skipPythonTests"), "-DskipPythonTests=true");
        SdkSuite.run(SdkSuite.ROOT, Duration.ofMinutes(15),
                List.of("python3", "-m", "pytest", "clients/python", "-q", "-p", "no:cacheprovider"));
    }
}
