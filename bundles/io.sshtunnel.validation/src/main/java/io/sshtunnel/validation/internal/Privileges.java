package io.sshtunnel.validation.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether this process may bind a port below 1024. On Linux that needs root, the capability
 * {@code CAP_NET_BIND_SERVICE}, or a lowered {@code net.ipv4.ip_unprivileged_port_start}; other
 * systems (Windows, macOS) let any process bind them.
 */
interface Privileges {
    boolean canBind(int port);

    /** Reads the facts once, from /proc on Linux. */
    static Privileges ofThisProcess() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return port -> true;
        }
        boolean capability = hasNetBindCapability(Path.of("/proc/self/status"));
        int unprivilegedStart = unprivilegedPortStart(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
        return port -> capability || port >= unprivilegedStart;
    }

    /** Bit 10 of the effective capabilities is CAP_NET_BIND_SERVICE (root has every bit). */
    static boolean hasNetBindCapability(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << 10)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: assume the ordinary case
        }
        return false;
    }

    static int unprivilegedPortStart(Path sysctl) {
        try {
            return Integer.parseInt(Files.readString(sysctl).trim());
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
    }
}
