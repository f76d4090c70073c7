package io.jobline.api.submit;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Serializes work on the same key within this process, with a fixed number of locks shared by all keys. */
final class StripedLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    <T> T serialized(String key, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
