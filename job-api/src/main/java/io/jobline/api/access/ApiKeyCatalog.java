package io.jobline.api.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.jobline.api.system.TopicFold;
import io.jobline.schemas.access.ApiKeyCreated;
import io.jobline.schemas.access.ApiKeyEvent;
import io.jobline.schemas.access.ApiKeyRevoked;
import io.jobline.schemas.topic.Topic;

/**
 * Every instance's view of the API keys: the fold of api-keys ({@link TopicFold}). A key's last record wins:
 * created, or revoked.
 */
final class ApiKeyCatalog implements AutoCloseable {

    private final Map<String, ApiKey> active = new HashMap<>();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    /** Keys revoked in the batch being folded: told to the listeners after it, outside the lock. */
    private final List<String> revoked = new ArrayList<>();
    /** Every key ever revoked (a few ids each): a push connection made as its key was revoked is closed on sight. */
    private final java.util.Set<String> everRevoked = new java.util.HashSet<>();
    private boolean anyRecord;
    private final TopicFold<ApiKeyEvent> fold;

    ApiKeyCatalog(Map<String, Object> clientConfig, Topic<String, ApiKeyEvent> topic) {
        this.fold = new TopicFold<>("api-key-catalog", clientConfig, topic, this, this::apply, this::tellRevoked);
    }

    /** Whether every change appended before this instance started has been folded. */
    boolean isCaughtUp() {
        return fold.isCaughtUp();
    }

    /**
     * Whether any key was ever made (revoked ones count): the end of protected mode, for good. Revoking the last
     * key does not open the service to loopback clients again.
     */
    synchronized boolean hasAnyKey() {
        return anyRecord;
    }

    synchronized Optional<ApiKey> find(String id) {
        return Optional.ofNullable(active.get(id));
    }

    /** The keys not revoked (expired ones too), oldest first. */
    synchronized List<ApiKey> all() {
        List<ApiKey> keys = new ArrayList<>(active.values());
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return keys;
    }

    synchronized boolean isRevoked(String id) {
        return everRevoked.contains(id);
    }

    /** {@code listener} is told the id of each key revoked from now on, on the catalog's thread. */
    void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Waits until every change appended before this instance started has been folded, at most {@code timeout}. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return fold.awaitCaughtUp(timeout);
    }

    /** Appends a change and waits until this instance has folded it ({@link TopicFold#appendAndFold}). */
    void append(String key, ApiKeyEvent change, String what) {
        fold.appendAndFold(key, change, what);
    }

    /** Called by the fold, holding this catalog's monitor. */
    private void apply(ApiKeyEvent event) {
        anyRecord = true;
        if (event.getPayload() instanceof ApiKeyCreated created) {
            active.put(event.getKeyId(), ApiKey.of(event, created));
        } else if (event.getPayload() instanceof ApiKeyRevoked) {
            everRevoked.add(event.getKeyId());
            if (active.remove(event.getKeyId()) != null) {
                revoked.add(event.getKeyId());
            }
        }
    }

    /** After each batch, on the fold's thread. */
    private void tellRevoked() {
        List<String> told;
        synchronized (this) {
            told = List.copyOf(revoked);
            revoked.clear();
        }
        told.forEach(id -> revocationListeners.forEach(listener -> listener.accept(id)));
    }

    @Override
    public void close() throws InterruptedException {
        fold.close();
    }
}
