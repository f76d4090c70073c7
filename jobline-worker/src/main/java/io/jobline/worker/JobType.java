package io.jobline.worker;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A kind of job: a pipeline of named stages. Plug one in by naming its class in
 * {@code META-INF/services/io.jobline.worker.JobType} of a jar on the service's class path; it then needs a public
 * no-arg constructor.
 */
public interface JobType {

    /** The name clients submit it by. */
    String name();

    /**
     * The JSON Schema (draft 2020-12) the input must match; checked at submit, before {@link #plan}. By default any
     * JSON object.
     */
    default JsonNode inputSchema() {
        return JsonNodeFactory.instance.objectNode().put("type", "object");
    }

    /**
     * Checks the input (and uploaded files) and returns the names of the stages the job will run, in order.
     *
     * @throws InvalidJobInputException with a message for the caller when the input is not valid for this type
     */
    List<String> plan(JsonNode input, List<StoredFile> files);

    /**
     * Runs one stage. It reports progress through the context, returns early when the context says the job was
     * cancelled, and returns the checkpoint handed to the next stage; the last stage's return value is the job's
     * result. Throwing fails the job with the exception's message.
     */
    JsonNode runStage(StageContext context) throws Exception;

    /**
     * Retries and timeouts of this type's jobs, unless the submitter overrides them: by default one attempt and a
     * 60 s heartbeat timeout, so an attempt whose worker went silent does not stay running.
     */
    default JobPolicy policy() {
        return JobPolicy.DEFAULT;
    }

    /**
     * Whether a stage failure with this exception may be retried (while the policy allows more attempts). By default
     * every failure is, except {@link FatalJobException} and {@link InvalidJobInputException}.
     */
    default boolean isRetryable(Throwable failure) {
        return !(failure instanceof FatalJobException || failure instanceof InvalidJobInputException);
    }

    /**
     * The duplicate-run key of this input, or null: while a job with the same key is pending or running, a submit
     * is refused with that job's id. By default a type declares none.
     */
    default String dedupKey(JsonNode input) {
        return null;
    }
}
