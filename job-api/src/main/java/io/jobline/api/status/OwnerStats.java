package io.jobline.api.status;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;

/**
 * The stats of one owner's jobs. The stats projection counts per type for all owners together, so these are counted
 * from the owner's jobs as listed, a page at a time: a read of the listing index and of the owner's views per page
 * (what an owner-filtered listing costs). A per-owner projection would make it one read; not there yet.
 */
final class OwnerStats {

    static final int PAGE = 5_000;

    private OwnerStats() {
    }

    static List<TypeStats> of(JobQueries queries, String owner) {
        Map<String, TypeStats> byType = new TreeMap<>();
        JobFilter filter = new JobFilter(null, null, owner);
        String after = null;
        do {
            JobPage page = queries.list(filter, PAGE, 0, after);
            for (JobView job : page.jobs()) {
                byType.compute(job.type(), (type, stats) -> (stats == null ? TypeStats.empty(type) : stats).apply(null, job));
            }
            after = page.next();
        } while (after != null);
        return List.copyOf(byType.values());
    }
}
