package io.jobline.worker;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** What a running stage sees of its job and how it talks back. */
public interface StageContext {

    String jobId();

    JsonNode input();

    List<StoredFile> files();

    /** 1-based number of this stage. */
    int stage();

    int stagesTotal();

    /** The previous stage's checkpoint; a null node for the first stage. */
    JsonNode checkpoint();

    /**
     * Reports how far this stage is (0.0 to 1.0) with a message for the user.
     *
     * @throws JobCancelledException when the job was cancelled: the stage stops here
     */
    void progress(double fractionOfStage, String message);

    /**
     * Tells the service this stage is alive without reporting progress; call it at least once per heartbeat timeout
     * (60 s unless the job type or the submitter set another) during long work. Cheap: sent at most once a second.
     *
     * @throws JobCancelledException when the job was cancelled: the stage stops here
     */
    void heartbeat();

    /** Which attempt of the job this is: 1 for the first run, more after a retry or a worker restart. */
    int attempt();

    boolean isCancelled();

    InputStream openFile(StoredFile file) throws IOException;

    /** Stores a file produced by the job; it is listed with the result and downloadable. */
    StoredFile writeArtifact(String name, String contentType, InputStream content) throws IOException;
}
