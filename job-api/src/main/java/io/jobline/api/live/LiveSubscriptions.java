package io.jobline.api.live;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
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

    private final LiveHub hub;
    private final LiveMessages messages;
    private final JobLookup lookup;
    private final JobQueries queries;

    LiveSubscriptions(LiveHub hub, LiveMessages messages, JobLookup lookup, JobQueries queries) {
        this.hub = hub;
        this.messages = messages;
        this.lookup = lookup;
        this.queries = queries;
    }

    /** @return false when the job is unknown (the subscriber got an error message) */
    boolean subscribe(Subscriber subscriber, String jobId, Long afterSeq) {
        subscriber.beginReplay(jobId);
        hub.follow(subscriber, jobId);
        JobView view;
        try {
            view = lookup.require(jobId);
        } catch (ApiException | InvalidStateStoreException e) {
            hub.unfollow(subscriber, jobId);
            subscriber.endReplay(jobId);
            subscriber.send(messages.error(jobId, e instanceof ApiException problem && problem.status() != HttpStatus.NOT_FOUND
                    ? problem.getMessage() : "Unknown job " + jobId));
            return false;
        }
        subscriber.send(messages.subscribed(jobId));
        if (afterSeq != null) {
            for (JobEvent event : queries.history(jobId)) {
                LiveMessage missed = event.getSequence() > afterSeq && event.getSequence() <= view.lastSequence()
                        ? messages.replayed(event, view) : null;
                if (missed != null) {
                    subscriber.sendIfNewer(missed);
                }
            }
        }
        subscriber.sendSnapshot(messages.status(view));
        subscriber.endReplay(jobId);
        return true;
    }

    void unsubscribe(Subscriber subscriber, String jobId) {
        hub.unfollow(subscriber, jobId);
        subscriber.send(messages.unsubscribed(jobId));
    }

    /** @return false when {@code afterStreamId} could not be resumed: the client missed updates */
    boolean subscribeAll(Subscriber subscriber, String afterStreamId, boolean confirm) {
        if (confirm) {
            subscriber.send(messages.subscribed("*"));
        }
        return hub.followAll(subscriber, afterStreamId);
    }
}
