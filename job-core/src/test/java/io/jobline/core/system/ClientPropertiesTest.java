package io.jobline.core.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryKafkaClientTheFilesSettingsWithTheInlineOnesWinning() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"s3cret\";",
                "bootstrap.servers=elsewhere:9092",
                "basic.auth.user.info=reg:pw",
                "schema.registry.ssl.truststore.location=/etc/ca.p12"));

        ClientProperties client = ClientProperties.load(file.toString(), Map.of("sasl.mechanism", "PLAIN"));
        KafkaSettings settings = new KafkaSettings("broker:9092", 6, (short) 1, 30, 100, dir, null, null, 0, null, client);

        assertThat(settings.clientConfig()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("bootstrap.servers", "broker:9092")
                .doesNotContainKeys("basic.auth.user.info", "schema.registry.ssl.truststore.location");
        assertThat(client.registry()).containsOnlyKeys("basic.auth.user.info", "schema.registry.ssl.truststore.location");
        assertThat(settings.toString()).as("names only in a log line").doesNotContain("s3cret", "reg:pw")
                .contains("sasl.jaas.config");
    }

    @Test
    void shouldConfigureNothingWithoutAFileOrSettings() {
        ClientProperties client = ClientProperties.load("", null);

        assertThat(client).isEqualTo(ClientProperties.NONE);
        assertThat(new KafkaSettings("broker:9092", 6, (short) 1, 30, 100, dir, null, null, 0, null).clientConfig())
                .containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void shouldSayWhichFileItCouldNotRead() {
        String missing = dir.resolve("missing.properties").toString();

        assertThatThrownBy(() -> ClientProperties.load(missing, Map.of())).hasMessageContaining(missing);
    }
}
