package io.jobline.api.submit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobline.api.command.CommandAppender;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.RecentSubmissions;
import io.jobline.processor.command.JobCommands;
import io.jobline.processor.files.FileNames;
import io.jobline.processor.files.FileStore;
import io.jobline.processor.files.StoredFile;
import io.jobline.processor.jobtype.JobType;
import io.jobline.processor.jobtype.JobTypes;
import io.jobline.processor.support.Json;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import tools.jackson.databind.JsonNode;

/**
 * Accepts a job: checks its type and input, stores its files, appends SubmitJob and waits only for the broker's
 * acknowledgement, never for the work. Nothing is appended for a rejected request.
 */
@Service
class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private final JobTypes types;
    private final FileStore files;
    private final CommandAppender appender;
    private final JobCommands commands;
    private final RecentSubmissions recent;

    JobSubmitter(JobTypes types, FileStore files, CommandAppender appender, JobCommands commands, RecentSubmissions recent) {
        this.types = types;
        this.files = files;
        this.appender = appender;
        this.commands = commands;
        this.recent = recent;
    }

    SubmittedJob submit(String typeName, JsonNode input, List<Upload> uploads, String owner) {
        JobType type = types.find(typeName).orElseThrow(() -> ApiException.badRequest(
                "Unknown job type '" + typeName + "'; known types: " + String.join(", ", types.names())));
        List<StoredFile> described = describe(uploads);
        List<String> stages = type.plan(input, described);
        String jobId = UUID.randomUUID().toString();
        List<StoredFile> stored = store(jobId, uploads);
        JobCommand command = commands.submit(jobId, owner, type.name(), Json.write(input), stored, stages);
        appender.append(command);
        recent.remember(JobViewFold.apply(null, asSubmittedEvent(command)));
        return new SubmittedJob(jobId, "pending", "Job accepted. Follow it at /api/jobs/" + jobId);
    }

    private static List<StoredFile> describe(List<Upload> uploads) {
        Set<String> names = new HashSet<>();
        List<StoredFile> described = new ArrayList<>();
        for (Upload upload : uploads) {
            String name;
            try {
                name = FileNames.safe(upload.name());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (!names.add(name)) {
                throw ApiException.badRequest("Two uploaded files are named '" + name + "'");
            }
            described.add(new StoredFile(name, null, upload.size(), upload.contentType()));
        }
        return described;
    }

    private List<StoredFile> store(String jobId, List<Upload> uploads) {
        List<StoredFile> stored = new ArrayList<>();
        try {
            for (Upload upload : uploads) {
                try (InputStream in = upload.open()) {
                    stored.add(files.save(jobId, FileStore.INPUTS, upload.name(), upload.contentType(), in));
                }
            }
            return stored;
        } catch (IOException e) {
            deleteFiles(jobId);
            throw ApiException.unavailable("Could not store the uploaded files: " + e.getMessage());
        }
    }

    private void deleteFiles(String jobId) {
        try {
            files.deleteJob(jobId);
        } catch (IOException e) {
            log.warn("Could not remove files of rejected job {}: {}", jobId, e.toString());
        }
    }

    /** The event the decider will append for this command, to show the job before the projection has it. */
    private static JobEvent asSubmittedEvent(JobCommand command) {
        SubmitJob submit = (SubmitJob) command.getPayload();
        return JobEvent.newBuilder()
                .setEventId(command.getCommandId())
                .setJobId(command.getJobId())
                .setTimestamp(command.getTimestamp())
                .setAttempt(0)
                .setSequence(1)
                .setPayload(new JobSubmitted(submit.getType(), submit.getOwner(), submit.getInput(), submit.getFiles(), submit.getStages()))
                .build();
    }
}
