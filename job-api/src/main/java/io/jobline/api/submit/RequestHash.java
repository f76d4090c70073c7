package io.jobline.api.submit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobline.core.support.Json;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/**
 * SHA-256 of what makes two submits the same request: type, input, options, notify and the files' names, sizes and content
 * types, with JSON object keys sorted at every level so key order does not change it. A replayed Idempotency-Key
 * with another hash is a different request.
 */
final class RequestHash {

    private RequestHash() {
    }

    static String of(String type, JsonNode input, JsonNode options, JsonNode notify, List<StoredFile> files) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("type", type);
        canonical.put("input", canonical(input));
        canonical.put("options", canonical(options));
        if (notify != null && !notify.isNull()) {
            canonical.put("notify", canonical(notify)); // only when given: hashes of requests without one stay as they were
        }
        canonical.put("files", files.stream().map(f -> f.name() + ":" + f.size() + ":" + f.contentType()).toList());
        return sha256(Json.MAPPER.writeValueAsString(canonical));
    }

    /** A batch is the same request when it has the same items in the same order. */
    static String ofBatch(List<String> itemHashes) {
        return sha256(String.join("\n", itemHashes));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.propertyNames().forEach(name -> sorted.put(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(canonical(item)));
            return items;
        }
        return node;
    }
}
