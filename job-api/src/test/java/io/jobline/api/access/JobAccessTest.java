package io.jobline.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JobAccessTest {

    private static final Caller ALICE = caller("alice", EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE), Set.of());
    private static final Caller ADMIN = caller("ops", EnumSet.of(Scope.ADMIN), Set.of());
    private static final Caller VIDEO_WORKER = caller("gpu-box", EnumSet.of(Scope.WORKER), Set.of("compare-videos"));
    private static final Caller ANY_WORKER = caller("worker", EnumSet.of(Scope.WORKER), Set.of());

    @Test
    void shouldLetACallerSeeItsOwnJobsOnly() {
        assertThat(JobAccess.sees(ALICE, "alice")).isTrue();
        assertThat(JobAccess.sees(ALICE, "bob")).isFalse();
        assertThat(JobAccess.sees(ALICE, null)).as("a deletion whose owner is not known").isFalse();
    }

    @Test
    void shouldLetAnAdminSeeEveryJob() {
        assertThat(JobAccess.sees(ADMIN, "alice")).isTrue();
        assertThat(JobAccess.sees(ADMIN, null)).isTrue();
        assertThat(JobAccess.sees(Caller.localAdmin(), "bob")).isTrue();
    }

    @Test
    void shouldLetAWorkerReadTheFilesOfJobsOfItsTypesOnly() {
        assertThat(JobAccess.readsFilesOf(VIDEO_WORKER, "alice", "compare-videos")).isTrue();
        assertThat(JobAccess.readsFilesOf(VIDEO_WORKER, "alice", "csv-report")).isFalse();
        assertThat(JobAccess.readsFilesOf(ANY_WORKER, "alice", "csv-report")).isTrue();
        assertThat(JobAccess.readsFilesOf(ALICE, "alice", "csv-report")).isTrue();
        assertThat(JobAccess.readsFilesOf(ALICE, "bob", "csv-report")).isFalse();
    }

    @Test
    void shouldForceTheListingOwnerToTheCallerUnlessAdmin() {
        assertThat(JobAccess.listingOwner(ALICE, null)).isEqualTo(new JobAccess.ListingOwner("alice", true));
        assertThat(JobAccess.listingOwner(ALICE, "alice")).isEqualTo(new JobAccess.ListingOwner("alice", true));
        assertThat(JobAccess.listingOwner(ALICE, "bob").matchesAny()).as("another owner's listing is empty").isFalse();
        assertThat(JobAccess.listingOwner(ADMIN, null)).isEqualTo(new JobAccess.ListingOwner(null, true));
        assertThat(JobAccess.listingOwner(ADMIN, "bob")).isEqualTo(new JobAccess.ListingOwner("bob", true));
    }

    @Test
    void shouldGiveAnAdminEveryScopeAndOthersOnlyTheirs() {
        assertThat(EnumSet.allOf(Scope.class)).allMatch(ADMIN::has);
        assertThat(ALICE.has(Scope.JOBS_READ)).isTrue();
        assertThat(ALICE.has(Scope.WORKER)).isFalse();
        assertThat(ALICE.has(Scope.ADMIN)).isFalse();
        assertThat(ALICE.mayWorkOn("demo")).as("no worker scope").isFalse();
        assertThat(VIDEO_WORKER.mayWorkOn("compare-videos")).isTrue();
        assertThat(VIDEO_WORKER.mayWorkOn("demo")).isFalse();
        assertThat(ADMIN.mayWorkOn("demo")).isTrue();
    }

    @Test
    void shouldExpireACallerAtItsKeysExpiry() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        Caller expiring = new Caller("alice", EnumSet.of(Scope.JOBS_READ), Set.of(), "0123456789abcdef", at);

        assertThat(expiring.isExpired(at.minusMillis(1))).isFalse();
        assertThat(expiring.isExpired(at)).isTrue();
        assertThat(ALICE.isExpired(at)).isFalse();
    }

    private static Caller caller(String owner, EnumSet<Scope> scopes, Set<String> types) {
        return new Caller(owner, scopes, types, "0123456789abcdef", null);
    }
}
