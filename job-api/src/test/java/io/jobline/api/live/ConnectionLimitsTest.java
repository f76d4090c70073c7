package io.jobline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import io.jobline.api.problem.ApiException;

/** Counting push connections per client address and in total; every slot is given back exactly once. */
class ConnectionLimitsTest {

    @Test
    void shouldAdmitUpToThePerAddressLimitAndRefuseTheNextWith429AndRetryAfter() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        limits.admit("10.0.0.1");
        limits.admit("10.0.0.1");

        assertThatThrownBy(() -> limits.admit("10.0.0.1"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(e.retryAfter()).isEqualTo(ConnectionLimits.RETRY_AFTER);
                    assertThat(e.getMessage()).contains("10.0.0.1", "jobline.live.max-connections-per-address");
                });
        assertThat(limits.openConnections("10.0.0.1")).isEqualTo(2);
        assertThat(limits.openConnections()).isEqualTo(2);
    }

    @Test
    void shouldRefuseEveryAddressOnceTheTotalIsReached() {
        ConnectionLimits limits = new ConnectionLimits(3, 2);
        limits.admit("10.0.0.1");
        limits.admit("10.0.0.1");
        limits.admit("10.0.0.2");

        assertThatThrownBy(() -> limits.admit("10.0.0.3"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("jobline.live.max-connections)");
        assertThat(limits.openConnections("10.0.0.3")).isZero();
        assertThat(limits.openConnections()).isEqualTo(3);
    }

    @Test
    void shouldAdmitAgainOnceASlotIsReleasedAndCountASecondReleaseOfTheSameSlotOnlyOnce() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        ConnectionLimits.Slot first = limits.admit("10.0.0.1");
        limits.admit("10.0.0.1");

        first.release();
        first.release();

        assertThat(limits.openConnections("10.0.0.1")).isEqualTo(1);
        assertThat(limits.openConnections()).isEqualTo(1);
        limits.admit("10.0.0.1");
        assertThatThrownBy(() -> limits.admit("10.0.0.1")).isInstanceOf(ApiException.class);
    }

    @Test
    void shouldCountAnIpv6ClientByItsSlash64() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        limits.admit("2001:db8:1:2:0:0:0:1");
        limits.admit("2001:db8:1:2:ffff:ffff:ffff:ffff");

        assertThatThrownBy(() -> limits.admit("2001:db8:1:2::9")).isInstanceOf(ApiException.class)
                .hasMessageContaining("2001:db8:1:2::/64");
        limits.admit("2001:db8:1:3::1");
        assertThat(limits.openConnections("2001:db8:1:2::77")).isEqualTo(2);
    }

    @Test
    void shouldCountAnIpv4MappedAddressAsItsIpv4Address() {
        assertThat(ConnectionLimits.addressOf("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(ConnectionLimits.addressOf("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(ConnectionLimits.addressOf("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
    }

    @Test
    void shouldCountEachSlotOnceWhenSeveralPathsReleaseItAtTheSameTime() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(10_000, 10_000);
        List<ConnectionLimits.Slot> slots = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            slots.add(limits.admit("10.0.0." + (i % 3)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> releasing = new ArrayList<>();
            for (int path = 0; path < 4; path++) {
                releasing.add(pool.submit(() -> {
                    start.await();
                    slots.forEach(ConnectionLimits.Slot::release);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> done : releasing) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(limits.openConnections()).isZero();
        assertThat(limits.openConnections("10.0.0.0")).isZero();
        limits.admit("10.0.0.0");
        assertThat(limits.openConnections()).isEqualTo(1);
    }
}
