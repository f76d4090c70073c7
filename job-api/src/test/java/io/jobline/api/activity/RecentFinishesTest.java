package io.jobline.api.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecentFinishesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:30:20Z");

    private final RecentFinishes finishes = new RecentFinishes(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldCountCompletedAndFailedJobsInTheMinuteTheyFinished() {
        finishes.add(finish("10:30:05", "demo", true, 1000L));
        finishes.add(finish("10:30:10", "demo", false, 2000L));
        finishes.add(finish("10:29:59", "demo", true, 3000L));

        Activity activity = finishes.activity(f -> true);

        assertThat(activity.minutes()).hasSize(60);
        assertThat(activity.minutes().get(59).minute()).isEqualTo(Instant.parse("2026-12-01T10:30:00Z"));
        assertThat(activity.minutes().get(59).completed()).isEqualTo(1);
        assertThat(activity.minutes().get(59).failed()).isEqualTo(1);
        assertThat(activity.minutes().get(58).completed()).isEqualTo(1);
        assertThat(activity.completed()).isEqualTo(2);
        assertThat(activity.failed()).isEqualTo(1);
    }

    @Test
    void shouldLeaveOutWhatFinishedBeforeTheHourAndWhatTheFilterDrops() {
        finishes.add(finish("09:30:59", "demo", true, 1000L));
        finishes.add(finish("09:31:00", "demo", true, 1000L));
        finishes.add(finish("10:00:00", "noop", true, 1000L));

        Activity activity = finishes.activity(f -> f.type().equals("demo"));

        assertThat(activity.completed()).isEqualTo(1);
        assertThat(activity.minutes().get(0).completed()).isEqualTo(1);
        assertThat(activity.durations()).extracting(Activity.RunTimes::type).containsExactly("demo");
    }

    @Test
    void shouldGiveTheMedianAndThe95thPercentileRunTimePerType() {
        for (long ms = 100; ms <= 2000; ms += 100) {
            finishes.add(finish("10:20:00", "demo", true, ms));
        }
        finishes.add(finish("10:20:00", "noop", true, null));

        Activity activity = finishes.activity(f -> true);

        assertThat(activity.durations()).singleElement().satisfies(d -> {
            assertThat(d.type()).isEqualTo("demo");
            assertThat(d.count()).isEqualTo(20);
            assertThat(d.p50Seconds()).isEqualTo(1.0);
            assertThat(d.p95Seconds()).isEqualTo(1.9);
        });
        assertThat(RecentFinishes.percentile(List.of(7L), 95)).isEqualTo(7);
    }

    private static RecentFinishes.Finish finish(String time, String type, boolean completed, Long runMillis) {
        return new RecentFinishes.Finish(Instant.parse("2026-12-01T" + time + "Z"), type, "local", completed, runMillis);
    }
}
