package io.jobline.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;

class WebhookSigningTest {

    @TempDir
    Path dir;

    /** The example of the Standard Webhooks specification, which every library of it checks against. */
    @Test
    void shouldSignAsTheStandardWebhooksSpecificationsExample() {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature = WebhookSigning.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldGiveEachOwnerASecretOfItsOwnThatSignsWhatItsReceiverChecks() {
        WebhookSigning signing = new WebhookSigning(new SecretInputs(SecretKeys.of(null, dir)));
        String alice = signing.secretOf("alice");

        assertThat(alice).startsWith("whsec_").isEqualTo(signing.secretOf("alice")).isNotEqualTo(signing.secretOf("bob"));
        byte[] key = Base64.getDecoder().decode(alice.substring("whsec_".length()));
        assertThat(key).hasSize(32);
        assertThat(signing.signature("alice", "msg_1", 1700000000L, "{}"))
                .isEqualTo(WebhookSigning.sign(key, "msg_1", 1700000000L, "{}"))
                .isNotEqualTo(signing.signature("bob", "msg_1", 1700000000L, "{}"));
    }
}
