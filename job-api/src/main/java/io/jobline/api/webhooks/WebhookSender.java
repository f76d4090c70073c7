package io.jobline.api.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.logging.JobLogContext;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.tracing.JobTracing;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.webhook.WebhookAttempt;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Makes the tries: a POST of the delivery's body with the Standard Webhooks headers and the trace's
 * {@code traceparent}, on a small pool of its own (a slow receiver never holds a stream thread), and appends what
 * came of it to webhook-attempts. Redirects are not followed, and the destination is checked again before each try
 * (what its name resolves to may have changed since it was given).
 */
final class WebhookSender implements DeliveryTopology.Dispatcher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final int THREADS = 4;
    static final int QUEUE = 256;

    private final HttpClient http;
    private final Duration timeout;
    private final Destinations destinations;
    private final WebhookSigning signing;
    private final KafkaProducer<String, WebhookAttempt> producer;
    private final ThreadPoolExecutor pool;
    private final Clock clock = Clock.systemUTC();

    WebhookSender(KafkaSettings kafka, JobTopics topics, Destinations destinations, WebhookSigning signing, Duration timeout) {
        this.destinations = destinations;
        this.signing = signing;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build();
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, topics.webhookAttempts().keySerde().serializer(),
                topics.webhookAttempts().valueSerde().serializer());
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread thread = new Thread(r, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public boolean hasCapacity() {
        return pool.getQueue().remainingCapacity() > 0 && !pool.isShutdown();
    }

    @Override
    public void dispatch(DeliveryTopology.Send send) {
        try {
            pool.execute(() -> send(send));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Webhook {} not taken now (sender full or closing); it is tried again when due", send.deliveryId());
        }
    }

    private void send(DeliveryTopology.Send send) {
        try (JobLogContext ignored = JobLogContext.of(send.jobId())) {
            sendNow(send);
        }
    }

    private void sendNow(DeliveryTopology.Send send) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        Integer status = null;
        String error = null;
        Span span = JobTracing.start("webhook " + send.eventType(), SpanKind.CLIENT,
                JobTracing.fromTraceparent(send.traceparent()));
        span.setAttribute("jobline.job_id", send.jobId());
        span.setAttribute("jobline.webhook.id", send.deliveryId());
        span.setAttribute("jobline.webhook.attempt", send.attempt());
        span.setAttribute("http.request.method", "POST");
        try (Scope ignored = span.makeCurrent()) {
            URI uri = destinations.check(send.url());
            span.setAttribute("url.full", uri.toString());
            long timestamp = started.getEpochSecond();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("content-type", "application/json")
                    .header("user-agent", "Jobline-Webhooks/1")
                    .header("webhook-id", send.deliveryId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signing.signature(send.owner(), send.deliveryId(), timestamp, send.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(send.body()));
            String traceparent = JobTracing.currentTraceparent();
            if (traceparent != null) {
                request.header(JobTracing.HEADER, traceparent);
            }
            // The body of the answer is not read (a receiver cannot hold a sender thread by trickling it), and the
            // whole exchange has one deadline, also for the headers of a receiver that accepted the connection.
            java.util.concurrent.CompletableFuture<HttpResponse<Void>> exchange =
                    http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> response;
            try {
                response = exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                exchange.cancel(true);
                throw new HttpTimeoutException("no answer");
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            status = response.statusCode();
            span.setAttribute("http.response.status_code", status);
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (IllegalArgumentException e) {
            error = "Not sent: " + e.getMessage();
        } catch (HttpConnectTimeoutException e) {
            error = "Could not connect within " + timeout.toSeconds() + " s";
        } catch (HttpTimeoutException e) {
            error = "No answer within " + timeout.toSeconds() + " s";
        } catch (IOException e) {
            error = "Could not send: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            span.end();
            return; // closing: the delivery stays due and is tried after the restart
        } catch (RuntimeException e) {
            error = "Could not send: " + e;
        }
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end();
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        WebhookAttempt attempt = new WebhookAttempt(send.deliveryId(), send.jobId(), send.attempt(), started, send.url(),
                status, error, durationMs, error == null);
        producer.send(new ProducerRecord<>(JobTopics.WEBHOOK_ATTEMPTS, send.jobId(), attempt), (metadata, e) -> {
            if (e != null) {
                log.warn("The outcome of webhook {} try {} was not recorded ({}); it is tried again", send.deliveryId(),
                        send.attempt(), e.toString());
            }
        });
        if (error != null) {
            log.info("Webhook {} for job {} try {} to {} failed: {}", send.deliveryId(), send.jobId(), send.attempt(),
                    send.url(), error);
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
