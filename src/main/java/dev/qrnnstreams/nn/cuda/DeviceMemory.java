package dev.qrnnstreams.nn.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

/**
 * One plain device allocation ({@code cudaMalloc}, never managed memory) that grows on demand and is
 * otherwise reused from batch to batch; or, {@linkplain #pinnedHost() pinned}, page-locked host memory
 * ({@code cudaMallocHost}) for staging copies. Confined to the backend's thread.
 */
final class DeviceMemory implements AutoCloseable {
    /** Growth beyond the request, so that a slowly growing batch size does not reallocate every time. */
    private static final double GROWTH = 1.5;

    private final boolean host;
    private final Pointer pointer = new Pointer();
    private long bytes;

    private DeviceMemory(boolean host) {
        this.host = host;
    }

    /** Device memory, none allocated yet. */
    static DeviceMemory device() {
        return new DeviceMemory(false);
    }

    /** Page-locked host memory, none allocated yet. */
    static DeviceMemory pinnedHost() {
        return new DeviceMemory(true);
    }

    /** Makes the allocation at least {@code needed} bytes; its contents are lost when it grows. */
    void reserve(long needed) {
        if (needed <= bytes) {
            return;
        }
        long size = Math.max(needed, Math.max(256, (long) (bytes * GROWTH)));
        free();
        if (host) {
            CudaCalls.check(cudart.cudaMallocHost(pointer, size), "cudaMallocHost(" + size + ")");
        } else {
            CudaCalls.check(cudart.cudaMalloc(pointer, size), "cudaMalloc(" + size + ")");
        }
        bytes = size;
    }

    /** The allocation's address. */
    long address() {
        return pointer.address();
    }

    /** A pointer to {@code offsetBytes} into the allocation. */
    Pointer at(long offsetBytes) {
        return new Address(pointer.address() + offsetBytes);
    }

    /** Bytes allocated now. */
    long bytes() {
        return bytes;
    }

    private void free() {
        if (bytes == 0) {
            return;
        }
        if (host) {
            CudaCalls.check(cudart.cudaFreeHost(pointer), "cudaFreeHost");
        } else {
            CudaCalls.check(cudart.cudaFree(pointer), "cudaFree");
        }
        bytes = 0;
    }

    @Override
    public void close() {
        free();
    }

    /** A raw address, without JavaCPP ownership: the allocation above owns the memory. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }
}
