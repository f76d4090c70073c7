package io.jobline.api.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the instances of a cluster reach each other ({@code jobline.cluster.*}).
 *
 * @param advertisedUrl this instance's base URL as the other instances reach it, e.g. {@code http://api-1:8080}:
 *                      set on every instance of a cluster, so that each answers for every job. Empty: the instance
 *                      runs alone and answers from its own stores
 */
@ConfigurationProperties("jobline.cluster")
public record ClusterProperties(String advertisedUrl) {
}
