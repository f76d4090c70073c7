package io.jobline.api.workers.registry;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;

/**
 * GET /api/workers: every worker any instance announced (the in-process runners and the external workers), with its
 * status. Open to {@code jobs:read} and {@code worker} keys; the job ids a worker runs are shown to admins only, as
 * another owner's job id is never confirmed to a non-admin (the slots in use still count them).
 */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "workers")
class WorkersController {

    private final WorkerDirectory directory;

    WorkersController(WorkerDirectory directory) {
        this.directory = directory;
    }

    record WorkersAnswer(List<ListedWorker> workers) {
    }

    @GetMapping("/api/workers")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listWorkers", summary = "Every worker any instance announced",
            description = "In-process runners and external workers, with their types, slots and status (active, idle, "
                    + "lost); the jobs they run are shown to admins only")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The workers")
    WorkersAnswer workers(@AuthenticationPrincipal Caller caller) {
        List<ListedWorker> workers = directory.list();
        return new WorkersAnswer(caller.isAdmin() ? workers : workers.stream().map(ListedWorker::withoutJobs).toList());
    }
}
