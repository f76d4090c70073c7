package io.jobline.core.system;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Poison records: one that cannot be deserialized, or whose processing throws, is written to
 * {@link io.jobline.schemas.topic.JobTopics#DEAD_LETTERS} by Kafka Streams (errors.dead.letter.queue.topic.name),
 * unchanged and with the reason in its headers, and processing goes on with the next record. The handlers here
 * are Kafka's log-and-continue ones plus a count for the metrics.
 */
public final class DeadLetters {

    private static final AtomicLong COUNT = new AtomicLong();

    private DeadLetters() {
    }

    /** Records sent to the dead-letter topic by this process since it started. */
    public static long count() {
        return COUNT.get();
    }

    /** For {@code default.deserialization.exception.handler}. */
    public static final class OnDeserialization extends LogAndContinueExceptionHandler {
        @Override
        public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                    ConsumerRecord<byte[], byte[]> record,
                                                                    Exception exception) {
            COUNT.incrementAndGet();
            return super.handleError(context, record, exception);
        }
    }

    /**
     * For an application that reads job-events beside the projection, which dead-letters each of its poison records
     * once: such a record is skipped and logged here, not written to the dead-letter topic a second time; a poison
     * record of the application's own topics is dead-lettered.
     */
    public static final class OnDeserializationBesideProjection extends LogAndContinueExceptionHandler {
        @Override
        public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                    ConsumerRecord<byte[], byte[]> record,
                                                                    Exception exception) {
            if (io.jobline.schemas.topic.JobTopics.EVENTS.equals(record.topic())) {
                org.slf4j.LoggerFactory.getLogger(DeadLetters.class).warn("Skipped an unreadable record of {} (partition {}, "
                        + "offset {}); the projection dead-letters it: {}", record.topic(), record.partition(),
                        record.offset(), exception.toString());
                return DeserializationExceptionHandler.Response.resume();
            }
            COUNT.incrementAndGet();
            return super.handleError(context, record, exception);
        }
    }

    /** For {@code processing.exception.handler}. */
    public static final class OnProcessing extends LogAndContinueProcessingExceptionHandler {
        @Override
        public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                               Exception exception) {
            COUNT.incrementAndGet();
            return super.handleError(context, record, exception);
        }
    }
}
