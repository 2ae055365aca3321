package io.sshtunnel.core.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import io.sshtunnel.core.ssh.AddressResolver;

/**
 * Resolves the SSH server's name afresh at every connection attempt, as {@code ssh} does through
 * the system's resolver each time it starts, so that a customer's DynDNS name that moved is
 * followed at the next attempt instead of after the JVM's 30 s cache. Like the system's resolver
 * ({@code hosts: files dns}): the hosts file first (read again whenever it changes), then DNS
 * (dnsjava, with the system's servers and search list, and no cache of its own), IPv6 and IPv4
 * addresses both. Nothing JVM-wide changes: other bundles keep the JVM's lookup and its cache.
 * When DNS cannot be asked at all (no server configured, none answers in time), the JVM's lookup
 * is the fallback.
 */
public final class FreshResolver implements AddressResolver {
    private static final Logger LOG = LoggerFactory.getLogger(FreshResolver.class);

    private final HostsFileParser hosts;
    private final LookupSession dns;

    /** The system's hosts file and DNS servers. */
    public static FreshResolver system(String hostsFile) {
        HostsFileParser parser = hostsFile == null || hostsFile.isBlank() ? new HostsFileParser()
                : new HostsFileParser(Path.of(hostsFile.strip()));
        return new FreshResolver(parser, null);
    }

    /** @param resolver the DNS servers to ask, or null for the system's */
    public FreshResolver(HostsFileParser hosts, Resolver resolver) {
        this.hosts = hosts;
        LookupSession.LookupSessionBuilder b = LookupSession.defaultBuilder().clearCaches();
        if (resolver != null) {
            b.resolver(resolver);
        }
        // the hosts file is asked first, below, for both address families at once
        this.dns = b.build();
    }

    @Override
    public List<InetAddress> resolve(String host, Duration timeout) throws UnknownHostException {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        InetAddress literal = literal(h);
        if (literal != null) {
            return List.of(literal);
        }
        try {
            List<InetAddress> fromFile = fromHostsFile(Name.fromString(h, Name.root), h);
            return fromFile.isEmpty() ? fromDns(Name.fromString(h), h, timeout) : fromFile;
        } catch (TextParseException e) {
            throw new UnknownHostException("\"" + h + "\" is not a host name");
        }
    }

    /** A literal IPv4 or IPv6 address as such, without any lookup; null for a name. */
    static InetAddress literal(String h) {
        try {
            if (Address.isDottedQuad(h)) {
                return InetAddress.getByAddress(Address.toByteArray(h, Address.IPv4));
            }
            byte[] v6 = h.indexOf(':') >= 0 ? Address.toByteArray(h.replaceFirst("%.*$", ""), Address.IPv6) : null;
            return v6 == null ? null : InetAddress.getByAddress(v6);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private List<InetAddress> fromHostsFile(Name name, String h) {
        List<InetAddress> out = new ArrayList<>();
        try {
            hosts.getAddressForHost(name, Type.AAAA).ifPresent(a -> out.add(plain(a)));
            hosts.getAddressForHost(name, Type.A).ifPresent(a -> out.add(plain(a)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Hosts file not read for {}: {}", h, e.toString());
        }
        return out;
    }

    private List<InetAddress> fromDns(Name name, String h, Duration timeout) throws UnknownHostException {
        CompletableFuture<List<InetAddress>> v6 = lookup(name, Type.AAAA);
        CompletableFuture<List<InetAddress>> v4 = lookup(name, Type.A);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InetAddress> out = new ArrayList<>();
        boolean noSuchName = true;
        boolean unanswered = false;
        for (CompletableFuture<List<InetAddress>> f : List.of(v6, v4)) {
            try {
                out.addAll(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                noSuchName = false;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof NoSuchRRSetException) {
                    noSuchName = false; // the name exists, without addresses of this family
                } else if (!(c instanceof NoSuchDomainException)) {
                    unanswered = true;
                    LOG.debug("DNS did not answer for {}: {}", h, c.toString());
                }
            } catch (TimeoutException e) {
                unanswered = true;
                f.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException("interrupted while resolving \"" + h + "\"");
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (unanswered) {
            return AddressResolver.JVM.resolve(h, timeout); // no DNS to ask here: the system's lookup, with the JVM's cache
        }
        throw new UnknownHostException(noSuchName ? "no such host \"" + h + "\"" : "\"" + h + "\" has no address");
    }

    private CompletableFuture<List<InetAddress>> lookup(Name name, int type) {
        return dns.lookupAsync(name, type).toCompletableFuture().thenApply(FreshResolver::addresses);
    }

    private static List<InetAddress> addresses(LookupResult r) {
        List<InetAddress> out = new ArrayList<>();
        for (Record rec : r.getRecords()) {
            if (rec instanceof ARecord) {
                out.add(plain(((ARecord) rec).getAddress()));
            } else if (rec instanceof AAAARecord) {
                out.add(plain(((AAAARecord) rec).getAddress()));
            }
        }
        return out;
    }

    /** The address without a host name, so that nothing down the line looks the name up again through the JVM. */
    private static InetAddress plain(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is that of an address
        }
    }
}
