package io.jobline.processor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.jobline.core.files.FileStore;
import io.jobline.core.support.Json;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/** A stage context over a real file store that records the progress a stage reports. */
public final class FakeStageContext implements StageContext {

    public final List<Double> progress = new ArrayList<>();
    public final List<StoredFile> artifacts = new ArrayList<>();
    public int heartbeats;
    /** The attempt the stage sees; 1 unless a test sets another. */
    public int attempt = 1;
    private final FileStore store;
    private final JsonNode input;
    private final List<StoredFile> files;
    private final int stage;
    private final int total;
    private final JsonNode checkpoint;

    public FakeStageContext(FileStore store, String input, List<StoredFile> files, int stage, int total, JsonNode checkpoint) {
        this.store = store;
        this.input = Json.parse(input);
        this.files = files;
        this.stage = stage;
        this.total = total;
        this.checkpoint = checkpoint == null ? Json.MAPPER.nullNode() : checkpoint;
    }

    @Override
    public String jobId() {
        return "job-1";
    }

    @Override
    public JsonNode input() {
        return input;
    }

    @Override
    public List<StoredFile> files() {
        return files;
    }

    @Override
    public int stage() {
        return stage;
    }

    @Override
    public int stagesTotal() {
        return total;
    }

    @Override
    public JsonNode checkpoint() {
        return checkpoint;
    }

    @Override
    public void progress(double fractionOfStage, String message) {
        progress.add(fractionOfStage);
    }

    @Override
    public void heartbeat() {
        heartbeats++;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public InputStream openFile(StoredFile file) throws IOException {
        return store.open(file);
    }

    @Override
    public StoredFile writeArtifact(String name, String contentType, InputStream content) throws IOException {
        StoredFile stored = store.save("job-1", FileStore.ARTIFACTS, name, contentType, content);
        artifacts.add(stored);
        return stored;
    }
}
