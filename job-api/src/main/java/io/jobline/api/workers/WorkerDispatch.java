package io.jobline.api.workers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.jobline.api.system.JoblineProperties;
import io.jobline.processor.JobProcessor;
import io.jobline.core.command.JobCommands;
import io.jobline.core.command.KafkaCommandSender;
import io.jobline.processor.dispatch.Dispatch;
import io.jobline.processor.dispatch.EventTail;
import io.jobline.processor.dispatch.OfferDispatcher;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;

/**
 * The dispatcher external workers' long polls wait on: the in-process processor's own when it runs here (so its
 * slots and the external workers share one member per type's share group), or one of the API's own otherwise.
 */
@Component
public class WorkerDispatch implements AutoCloseable {

    private final Dispatch own;
    private final JobProcessor local;
    private final OfferDispatcher dispatcher;

    WorkerDispatch(ObjectProvider<JobProcessor> processor, KafkaSettings kafka, JobTopics topics,
                   KafkaCommandSender sender, JobCommands commands) {
        this.local = processor.getIfAvailable();
        this.own = local == null ? Dispatch.start(kafka.clientConfig(), topics, sender, commands) : null;
        this.dispatcher = local == null ? own.dispatcher() : local.dispatch().dispatcher();
    }

    OfferDispatcher dispatcher() {
        return dispatcher;
    }

    /** The tail of job-events the dispatcher watches started jobs on; others may watch jobs on it too. */
    public EventTail events() {
        return local == null ? own.tail() : local.dispatch().tail();
    }

    @Override
    public void close() throws InterruptedException {
        if (own != null) {
            own.close();
        }
    }
}
