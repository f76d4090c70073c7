package io.jobline.api;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.jobline.api.access.KeysCommand;

/**
 * The whole service in one process: API, projections and (by default) the processor, on an embedded broker. With
 * {@code keys ...} as its arguments, the key management command instead (see {@link KeysCommand}).
 */
// Callers are API keys, not users with passwords: no generated user.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class JoblineApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("keys")) {
            System.exit(KeysCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        SpringApplication.run(JoblineApplication.class, args);
    }
}
