package io.jobline.api.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobline.api.JoblineApplication;

/** The whole service started in this JVM as a user would run it: embedded KRaft broker, processor, projections, API. */
public final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ServiceClient client;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.client = new ServiceClient("http://127.0.0.1:" + port);
        Awaitility.await("service healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/actuator/health").status() == 200);
    }

    /** Starts on {@code dataDir} with an embedded broker on a free port; {@code extra} overrides settings. */
    public static RunningService start(Path dataDir, Map<String, Object> extra) {
        return start(dataDir, extra, new Class<?>[0]);
    }

    /**
     * As {@link #start(Path, Map)}, with {@code sources} added to the service's context: classes whose {@code @Bean}
     * methods add beans (a JobType, say), as a user's own configuration would.
     */
    public static RunningService start(Path dataDir, Map<String, Object> extra, Class<?>... sources) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("jobline.data-dir", dataDir.toString());
        properties.put("jobline.kafka.embedded-port", 0);
        properties.put("jobline.kafka.partitions", 3);
        properties.put("jobline.processor.concurrency", 4);
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("logging.level.kafka", "WARN");
        properties.put("logging.level.org.apache.zookeeper", "WARN");
        properties.putAll(extra);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new RunningService(new SpringApplicationBuilder(JoblineApplication.class).sources(sources).run(args));
    }

    public ServiceClient client() {
        return client;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
