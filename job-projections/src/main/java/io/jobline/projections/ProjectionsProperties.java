package io.jobline.projections;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.jobline.core.system.ExternalKafka;

/**
 * The standalone projections' settings ({@code jobline.*} in jobline-projections.yml): the service's environment
 * variables and defaults for the data folder and the cluster.
 *
 * @param dataDir where Streams state is kept; one process per folder (it is locked)
 */
@ConfigurationProperties("jobline")
public record ProjectionsProperties(Path dataDir, ExternalKafka kafka) {
}
