package io.jobline.processor.dispatch;

import java.util.Map;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.schemas.topic.JobTopics;

/** Offered jobs for the workers of this process: the tail of job-events and the dispatcher over the share groups. */
public final class Dispatch implements AutoCloseable {

    private final EventTail tail;
    private final OfferDispatcher dispatcher;

    private Dispatch(EventTail tail, OfferDispatcher dispatcher) {
        this.tail = tail;
        this.dispatcher = dispatcher;
    }

    public static Dispatch start(Map<String, Object> clientConfig, JobTopics topics, CommandSender sender, JobCommands commands) {
        EventTail tail = new EventTail(clientConfig, topics.events());
        return new Dispatch(tail, new OfferDispatcher(clientConfig, topics.offers(), sender, commands, new StartOutcomes(tail)));
    }

    public EventTail tail() {
        return tail;
    }

    public OfferDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() throws InterruptedException {
        dispatcher.close();
        tail.close();
    }
}
