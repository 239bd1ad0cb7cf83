package dev.qrnnstreams.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the demo started outside its own objects: the registry's process, the addresses its servers listen
 * on, and its temporary directories. After the demo has stopped, {@link #leftovers} says what of it remains.
 */
public final class Footprint {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final List<InetSocketAddress> endpoints = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();
    private OptionalLong registryPid = OptionalLong.empty();

    synchronized void endpoint(InetSocketAddress address) {
        endpoints.add(address);
    }

    synchronized void directory(Path directory) {
        directories.add(directory);
    }

    synchronized void registryProcess(long pid) {
        registryPid = OptionalLong.of(pid);
    }

    /** The addresses the broker, the registry and the metrics endpoint listened on. */
    public synchronized List<InetSocketAddress> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The temporary directories of the broker, the registry and the service's state. */
    public synchronized List<Path> directories() {
        return List.copyOf(directories);
    }

    /** The process id of the registry's JVM, once it was started. */
    public synchronized OptionalLong registryPid() {
        return registryPid;
    }

    /** What is still there: a live registry process, an address that accepts connections, a directory. */
    public synchronized List<String> leftovers() {
        List<String> left = new ArrayList<>();
        registryPid.ifPresent(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .ifPresent(process -> left.add("registry process " + pid)));
        endpoints.stream().filter(Footprint::accepts).forEach(address -> left.add("listener " + address));
        directories.stream().filter(Files::exists).forEach(directory -> left.add("directory " + directory));
        return left;
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
