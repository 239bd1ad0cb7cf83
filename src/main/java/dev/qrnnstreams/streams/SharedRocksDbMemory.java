package dev.qrnnstreams.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB store of the process under one memory budget ({@value ServiceConfig#ROCKSDB_MEMORY_BYTES_CONFIG}
 * bytes): one LRU block cache shared by all stores, which also holds their index and filter blocks and is
 * charged for their memtables through one shared write-buffer manager.
 *
 * <p>Kafka Streams opens a RocksDB instance per store and per partition, each with its own 50 MiB block
 * cache and up to three 16 MiB memtables by default, so an instance's native memory grows with the
 * partitions it holds and with the state it has written. Under this budget the memtables may take half
 * of it before RocksDB flushes them, index and filter blocks are kept at high priority (a tenth of the
 * cache) with the top-level index pinned, and data blocks share the rest.
 *
 * <p>Kafka Streams creates one instance of this class per store; the cache and the write-buffer manager
 * are shared by budget for the life of the process, and closing a store leaves them to the others.
 */
public final class SharedRocksDbMemory implements RocksDBConfigSetter {
    private static final double MEMTABLE_SHARE = 0.5;
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final Map<Long, Budget> BUDGETS = new ConcurrentHashMap<>();

    private record Budget(Cache cache, WriteBufferManager writeBuffers) {
        static Budget of(long bytes) {
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            return new Budget(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object bytes = configs.get(ServiceConfig.ROCKSDB_MEMORY_BYTES_CONFIG);
        if (bytes == null) {
            throw new IllegalStateException(ServiceConfig.ROCKSDB_MEMORY_BYTES_CONFIG + " is not set");
        }
        Budget budget = BUDGETS.computeIfAbsent(Long.parseLong(bytes.toString()), Budget::of);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(budget.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(budget.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        // The budget's cache and write-buffer manager serve the other stores; they live as long as the process.
    }
}
