package dev.qrnnstreams.text;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of recently encoded pieces, bounded: when it holds {@code capacity} pieces it is emptied
 * and refills with the pieces seen next. Thread-safe; stored arrays are never modified.
 */
final class WordCache {
    private final int capacity;
    private final ConcurrentHashMap<String, int[]> ids;

    WordCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
        this.ids = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    int capacity() {
        return capacity;
    }

    /** The cached ids of {@code piece}, or null; callers must not modify the array. */
    int[] get(String piece) {
        return ids.get(piece);
    }

    void put(String piece, int[] pieceIds) {
        if (capacity == 0) {
            return;
        }
        if (ids.size() >= capacity) {
            ids.clear();
        }
        ids.put(piece, pieceIds);
    }
}
