package io.jobline.processor.decider;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;

/** Applies {@link JobDecider} to each command with the job's stored state; forwards the events it decides. */
final class DeciderProcessor implements Processor<String, JobCommand, String, JobEvent> {

    private static final Logger log = LoggerFactory.getLogger(DeciderProcessor.class);

    private final JobDecider decider;
    private final DecisionListener listener;
    private ProcessorContext<String, JobEvent> context;
    private KeyValueStore<String, JobState> states;
    private int partition;

    DeciderProcessor(JobDecider decider, DecisionListener listener) {
        this.decider = decider;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, JobEvent> context) {
        this.context = context;
        this.states = context.getStateStore(DeciderTopology.STATE_STORE);
        this.partition = context.taskId().partition();
        List<JobState> active = new ArrayList<>();
        try (KeyValueIterator<String, JobState> all = states.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.isActive()) {
                    active.add(kv.value);
                }
            });
        }
        listener.partitionAssigned(partition, active);
    }

    @Override
    public void process(Record<String, JobCommand> record) {
        JobCommand command = record.value();
        if (command == null || record.key() == null || !record.key().equals(command.getJobId())) {
            log.warn("Skipping a command whose key does not match its job id: key={}", record.key());
            return;
        }
        JobState state = states.get(command.getJobId());
        Decision decision = decider.decide(state == null ? JobState.empty(command.getJobId()) : state, command);
        if (decision.isRejected()) {
            log.debug("Rejected {} for job {}: {}", command.getPayload().getClass().getSimpleName(),
                    command.getJobId(), decision.rejection());
        } else {
            states.put(command.getJobId(), decision.state());
            for (JobEvent event : decision.events()) {
                context.forward(new Record<>(event.getJobId(), event, event.getTimestamp().toEpochMilli()));
            }
        }
        listener.decided(partition, command, decision);
    }

    @Override
    public void close() {
        listener.partitionClosed(partition);
    }
}
