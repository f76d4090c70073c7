package io.jobline.api.sdk;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript SDK's suite (clients/typescript): {@code npm ci} from the committed package-lock.json, then
 * {@code npm test} (tsc build, type check, vitest, which starts this module's service jar). Tagged "alone": it runs
 * beside ClusterIT, after the other classes (job-api/pom.xml). {@code -DskipTypeScriptTests=true} skips it.
 */
@Tag("alone")
class TypeScriptSdkIT {

    @Test
    void shouldPassTheTypeScriptSdkSuite() throws Exception {
        assumeFalse(SdkSuite.skipped("skipTypeScriptTests"), "-DskipTypeScriptTests=true");
        Path client = SdkSuite.ROOT.resolve("clients/typescript");
        SdkSuite.run(client, Duration.ofMinutes(5), List.of("npm", "ci", "--no-audit", "--no-fund"));
        SdkSuite.run(client, Duration.ofMinutes(10), List.of("npm", "test"));
    }
}
