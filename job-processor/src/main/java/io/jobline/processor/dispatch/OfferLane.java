package io.jobline.processor.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.core.tracing.JobTracing;
import io.jobline.schemas.offer.JobOffer;
import io.jobline.schemas.topic.Topic;

/**
 * The offers of one job type, for the takers of this process: a share consumer in the type's share group, member
 * only while someone here waits for a job of the type. A member acquires offers as it polls; one that does not poll
 * would keep the offers it holds from the others, so the lane leaves the group once nobody has waited for
 * {@link #IDLE_BEFORE_LEAVING} (leaving hands back what it held) and joins again for the next taker.
 *
 * <p>For each offer it acquires, the lane claims a waiting taker and asks the decider to start the job for it (a
 * StartJob with the offered attempt). Granted: the offer is accepted and the taker gets the job. Refused (the offer
 * was stale: the job started elsewhere, was cancelled, or moved on): the offer is accepted too, as nothing is left
 * to hand out, and the taker waits on. No taker, or no answer in time: the offer is released for another member.
 */
final class OfferLane implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OfferLane.class);

    static final Duration IDLE_BEFORE_LEAVING = Duration.ofSeconds(1);
    static final Duration START_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * Right after an offer came: the next one is in the broker's hands about 30 to 50 ms after the previous one's
     * acknowledgement (measured on 4.2: one record per share fetch in record_limit mode), so a short poll drains a
     * queue of offers at 20 or more a second instead of one per long poll.
     */
    private static final Duration DRAINING_POLL = Duration.ofMillis(20);
    private static final int SHORT_POLLS_AFTER_AN_OFFER = 10;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private final String type;
    private final Topic<String, JobOffer> offers;
    private final Map<String, Object> consumerConfig;
    private final CommandSender sender;
    private final JobCommands commands;
    private final StartOutcomes outcomes;
    private final Deque<Taker> takers = new ArrayDeque<>();
    private final Thread thread;
    private volatile KafkaShareConsumer<String, JobOffer> consumer;
    private volatile boolean closed;

    OfferLane(String type, String group, Map<String, Object> clientConfig, Topic<String, JobOffer> offers,
              CommandSender sender, JobCommands commands, StartOutcomes outcomes) {
        this.type = type;
        this.offers = offers;
        this.sender = sender;
        this.commands = commands;
        this.outcomes = outcomes;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.consumerConfig = config;
        this.thread = new Thread(this, "offers-" + type);
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void add(Taker taker) {
        takers.addLast(taker);
        notifyAll();
    }

    synchronized void remove(Taker taker) {
        takers.remove(taker);
    }

    @Override
    public void run() {
        long idleSince = System.nanoTime();
        int shortPollsLeft = 0;
        try {
            while (!closed) {
                if (!awaitTaker()) {
                    if (consumer != null && System.nanoTime() - idleSince > IDLE_BEFORE_LEAVING.toNanos()) {
                        leave();
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                if (consumer == null) {
                    consumer = new KafkaShareConsumer<>(consumerConfig, offers.keySerde().deserializer(), offers.valueSerde().deserializer());
                    consumer.subscribe(List.of(offers.name()));
                }
                var polled = consumer.poll(shortPollsLeft > 0 ? DRAINING_POLL : POLL);
                shortPollsLeft = polled.isEmpty() ? Math.max(0, shortPollsLeft - 1) : SHORT_POLLS_AFTER_AN_OFFER;
                for (ConsumerRecord<String, JobOffer> record : polled) {
                    consumer.acknowledge(record, handOut(record.value(),
                            JobTracing.traceparent(JobTracing.fromHeaders(record.headers(), null))));
                }
                consumer.commitSync(COMMIT_TIMEOUT);
                idleSince = System.nanoTime();
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("Offers of type {}: woken up while open", type);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Offers of type {} stopped: {}", type, e.toString(), e);
        } finally {
            leave();
        }
    }

    /** Waits a little for a taker; true when one waits. */
    private synchronized boolean awaitTaker() throws InterruptedException {
        takers.removeIf(t -> !t.isWaiting());
        if (takers.isEmpty() && !closed) {
            wait(POLL.toMillis());
            takers.removeIf(t -> !t.isWaiting());
        }
        return !takers.isEmpty();
    }

    private AcknowledgeType handOut(JobOffer offer, String traceParent) throws InterruptedException {
        if (offer == null || !type.equals(offer.getType())) {
            return AcknowledgeType.ACCEPT; // another type's offer: that type's group hands it out
        }
        Taker taker = claimTaker();
        if (taker == null) {
            return AcknowledgeType.RELEASE;
        }
        var outcome = outcomes.await(offer.getJobId(), offer.getAttempt(), taker.workerId());
        try (Scope traced = JobTracing.fromTraceparent(traceParent).makeCurrent()) {
            sender.send(commands.start(offer.getJobId(), taker.workerId(), offer.getAttempt()));
        }
        boolean granted;
        try {
            granted = outcome.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            outcome.cancel(false);
            giveBack(taker);
            log.debug("Job {}: no answer to the start for {} in {}", offer.getJobId(), taker.workerId(), START_TIMEOUT);
            return AcknowledgeType.RELEASE;
        }
        if (!granted) {
            giveBack(taker);
            return AcknowledgeType.ACCEPT;
        }
        OfferedJob job = new OfferedJob(offer, taker.workerId(), traceParent);
        if (!taker.grant(job)) {
            // The taker stopped waiting while its start was on its way: give the job back unharmed.
            sender.send(commands.release(job.jobId(), taker.workerId(), job.attempt(), "the worker stopped waiting"));
        }
        synchronized (this) {
            takers.remove(taker);
        }
        return AcknowledgeType.ACCEPT;
    }

    private synchronized Taker claimTaker() {
        for (Taker taker : takers) {
            if (taker.claim()) {
                return taker;
            }
        }
        return null;
    }

    private synchronized void giveBack(Taker taker) {
        taker.unclaim();
        notifyAll();
    }

    private void leave() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Offers of type {}: closing the share consumer: {}", type, e.toString());
            }
            consumer = null;
        }
    }

    void close() throws InterruptedException {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        KafkaShareConsumer<String, JobOffer> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(10_000);
    }
}
