package io.jobline.processor.dispatch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.schemas.offer.JobOffer;
import io.jobline.schemas.topic.Topic;

/**
 * Hands offered jobs to the workers of this process that wait for one: in-process worker slots and external
 * workers' long polls alike. Each job type has its own share group on job-offers ({@link #group(String)}), so a
 * worker only ever acquires offers of the types it runs, and any member of any instance may get any offer: the
 * job goes to whichever worker is free.
 */
public final class OfferDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OfferDispatcher.class);

    private final Map<String, Object> clientConfig;
    private final Topic<String, JobOffer> offers;
    private final CommandSender sender;
    private final JobCommands commands;
    private final StartOutcomes outcomes;
    private final Map<String, OfferLane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public OfferDispatcher(Map<String, Object> clientConfig, Topic<String, JobOffer> offers, CommandSender sender,
                           JobCommands commands, StartOutcomes outcomes) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.offers = offers;
        this.sender = sender;
        this.commands = commands;
        this.outcomes = outcomes;
    }

    /** The share group handing out a type's offers. */
    public static String group(String type) {
        return "jobline-offers-" + type;
    }

    /** Waits for a job of one of {@code types} for {@code workerId}; see {@link Taker#job()}. */
    public Taker take(String workerId, Collection<String> types) {
        if (closed) {
            throw new IllegalStateException("The dispatcher is closed");
        }
        Taker taker = new Taker(workerId, Set.copyOf(types));
        for (String type : taker.types()) {
            lanes.computeIfAbsent(type, this::openLane).add(taker);
        }
        return taker;
    }

    public boolean isClosed() {
        return closed;
    }

    public StartOutcomes outcomes() {
        return outcomes;
    }

    private OfferLane openLane(String type) {
        String group = group(type);
        startFromEarliest(group);
        return new OfferLane(type, group, clientConfig, offers, sender, commands, outcomes);
    }

    /**
     * A new share group starts at the latest offer by default: offers made before its first member joined would
     * wait for their re-offer. The group reads from the earliest offer still kept instead.
     */
    private void startFromEarliest(String group) {
        try (Admin admin = Admin.create(clientConfig)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not set share group {} to start from the earliest offer: {}", group, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (OfferLane lane : lanes.values()) {
            lane.close();
        }
    }
}
