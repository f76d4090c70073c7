package io.jobline.processor.jobtype;

import java.util.List;

import io.jobline.processor.files.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * A kind of job: a pipeline of named stages. Plug one in by adding it to {@link JobTypes}.
 */
public interface JobType {

    /** The name clients submit it by. */
    String name();

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
}
