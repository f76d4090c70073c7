package io.jobline.core.system;

import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * A part of Jobline run on its own (the processor, the projections): a Spring Boot application without a web server
 * that binds its properties from its own configuration file and runs until it is stopped.
 */
public final class StandaloneApplication {

    private StandaloneApplication() {
    }

    /**
     * @param configName  the configuration file's name (without .yml), not application: job-api has these modules on
     *                    its class path and must not read their files, nor they the service's
     */
    public static SpringApplication of(String configName, Class<?>... sources) {
        SpringApplication application = new SpringApplication(sources);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setDefaultProperties(Map.of("spring.config.name", configName));
        // Kafka's threads would keep the JVM alive too; this does not depend on them.
        application.setKeepAlive(true);
        return application;
    }
}
