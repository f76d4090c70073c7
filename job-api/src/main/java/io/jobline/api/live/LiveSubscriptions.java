package io.jobline.api.live;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.system.JoblineProperties;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/**
 * Subscribing to one job: confirm, replay what the client missed after the sequence number it last saw (from the
 * job's event history), send the job's current state, then live updates; live updates that arrive meanwhile wait
 * and follow in order, without gaps or repeats.
 */
@Service
class LiveSubscriptions {

    /** Events of a job's history read at once while a client resumes it. */
    static final int REPLAY_PAGE = 256;

    private final LiveHub hub;
    private final LiveMessages messages;
    private final JobLookup lookup;
    private final JobQueries queries;
    private final Duration sendTimeout;
    /** In a cluster, the feed that pushes every partition's updates, which may run ahead of the projections. */
    private final java.util.Optional<ClusterLiveFeed> feed;
    /** How long a subscribe waits for the projection to catch up with what the cluster's feed already pushed. */
    static final Duration FEED_LEAD = Duration.ofSeconds(3);

    LiveSubscriptions(LiveHub hub, LiveMessages messages, JobLookup lookup, JobQueries queries, JoblineProperties properties,
                      org.springframework.beans.factory.ObjectProvider<ClusterLiveFeed> feed) {
        this.feed = java.util.Optional.ofNullable(feed.getIfAvailable());
        this.hub = hub;
        this.messages = messages;
        this.lookup = lookup;
        this.queries = queries;
        this.sendTimeout = properties.live().sendTimeout();
    }

    /**
     * @return false when the job is unknown, or not the subscriber's caller's (the subscriber got an error message;
     * whatever came for the job meanwhile is dropped)
     */
    boolean subscribe(Subscriber subscriber, String jobId, Long afterSeq) {
        subscriber.beginReplay(jobId);
        hub.follow(subscriber, jobId);
        JobView view;
        try {
            view = lookup.require(jobId, subscriber.caller());
            view = caughtUpWithTheFeed(jobId, view, subscriber);
        } catch (ApiException | InvalidStateStoreException e) {
            hub.unfollow(subscriber, jobId);
            subscriber.abandonReplay(jobId);
            subscriber.send(messages.error(jobId, e instanceof ApiException problem && problem.status() != HttpStatus.NOT_FOUND
                    ? problem.getMessage() : "Unknown job " + jobId));
            return false;
        }
        subscriber.send(messages.subscribed(jobId));
        if (afterSeq != null) {
            try {
                replay(subscriber, jobId, afterSeq, view);
            } catch (ApiException | InvalidStateStoreException e) {
                // The job's history cannot be read now (its partition is moving): the client asks again, from where
                // it was, rather than get the current state over a gap.
                hub.unfollow(subscriber, jobId);
                subscriber.abandonReplay(jobId);
                subscriber.send(messages.error(jobId, e.getMessage()));
                return false;
            }
        }
        subscriber.sendSnapshot(messages.status(view));
        subscriber.endReplay(jobId);
        return true;
    }

    /**
     * In a cluster the feed may have pushed updates of the job (before this subscription held them back) that the
     * holder's projection has not folded yet: the view is read again until it has them (for at most
     * {@link #FEED_LEAD}), so the replay and the snapshot leave no gap before the updates held back.
     */
    private JobView caughtUpWithTheFeed(String jobId, JobView view, Subscriber subscriber) {
        if (feed.isEmpty()) {
            return view;
        }
        long pushed = feed.get().lastSequence(jobId);
        long deadline = System.nanoTime() + FEED_LEAD.toNanos();
        JobView current = view;
        while (current.lastSequence() < pushed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            current = lookup.require(jobId, subscriber.caller());
        }
        return current;
    }

    /**
     * Sends what the client missed up to {@code view}, read from the job's history a page at a time: a long
     * history is never loaded at once, and a message waits while the client's queue is over half full (for at most
     * the send timeout; a client that reads slower than that is disconnected as too slow, as any other).
     */
    private void replay(Subscriber subscriber, String jobId, long afterSeq, JobView view) {
        long after = afterSeq;
        while (after < view.lastSequence() && !subscriber.isClosed()) {
            List<JobEvent> page = queries.history(jobId, after, REPLAY_PAGE);
            for (JobEvent event : page) {
                LiveMessage missed = event.getSequence() <= view.lastSequence() ? messages.replayed(event, view) : null;
                if (missed != null) {
                    awaitRoom(subscriber);
                    subscriber.sendIfNewer(missed);
                }
            }
            if (page.size() < REPLAY_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).getSequence();
        }
    }

    private void awaitRoom(Subscriber subscriber) {
        try {
            subscriber.awaitRoom(sendTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void unsubscribe(Subscriber subscriber, String jobId) {
        hub.unfollow(subscriber, jobId);
        subscriber.send(messages.unsubscribed(jobId));
    }

    /**
     * Every job the subscriber's caller may see: its own (an admin's: all).
     *
     * @return false when {@code afterStreamId} could not be resumed: the client missed updates
     */
    boolean subscribeAll(Subscriber subscriber, String afterStreamId, boolean confirm) {
        if (confirm) {
            subscriber.send(messages.subscribed("*"));
        }
        return hub.followAll(subscriber, afterStreamId);
    }
}
