package io.sshtunnel.core.ssh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Turns the SSH server's host name into the addresses to try, in order, at every connection
 * attempt. The engine's resolver asks afresh each time (a DynDNS name moves); the JVM's own
 * lookup keeps a name for 30 s and is only the fallback.
 */
@FunctionalInterface
public interface AddressResolver {
    /** The JVM's lookup: {@link InetAddress#getAllByName(String)}, with the JVM's cache. */
    AddressResolver JVM = (host, timeout) -> List.of(InetAddress.getAllByName(host));

    /**
     * @param host a host name or a literal IPv4 or IPv6 address (without brackets)
     * @param timeout how long the lookup may take
     * @return at least one address
     * @throws UnknownHostException when the name has no address
     */
    List<InetAddress> resolve(String host, Duration timeout) throws UnknownHostException;
}
