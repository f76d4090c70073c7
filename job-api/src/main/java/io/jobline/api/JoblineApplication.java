package io.jobline.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The whole service in one process: API, projections and (by default) the processor, on an embedded broker. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class JoblineApplication {

    public static void main(String[] args) {
        SpringApplication.run(JoblineApplication.class, args);
    }
}
