package io.sshtunnel.core.ssh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.forward.TcpipClientChannel;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.session.helpers.AbstractSessionIoHandler;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Ties forwarded connections to their mappings' counters. {@code L}: the listener's address (unique
 * on this machine) names the mapping when MINA creates the accepted socket's session. {@code R}:
 * the port the server listens on, per SSH session, names it when the channel opens, before MINA
 * reads from the target. A connection that never got its channel open counts as failed.
 */
final class Counting {
    private static final AttributeKey<Boolean> OPENED = new AttributeKey<>();
    private static final AttributeKey<Boolean> FAILED = new AttributeKey<>();
    /** The receive windows of a connection's forwarding channels. */
    private static final AttributeKey<WindowBudget> WINDOWS = new AttributeKey<>();
    /** The window a forwarding channel reserved from its connection's budget. */
    private static final AttributeKey<Long> WINDOW = new AttributeKey<>();

    /** {@code L} listeners on this machine, by "ip:port". */
    private final ConcurrentHashMap<String, ForwardCounter> local = new ConcurrentHashMap<>();

    /** The I/O factory of the client: MINA's NIO2 one, with counting sessions for forwarded sockets. */
    Nio2ServiceFactoryFactory ioFactory() {
        return new Nio2ServiceFactoryFactory() {
            @Override
            public IoServiceFactory create(FactoryManager manager) {
                return new Nio2ServiceFactory(manager, newExecutor(), newExecutor()) {
                    @Override
                    public Nio2Session createSession(Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket,
                            SocketAddress acceptance) throws Throwable {
                        if (handler instanceof AbstractSessionIoHandler) {
                            return new TransportSession(service, manager, handler, socket, acceptance); // the SSH connection itself
                        }
                        boolean accepted = service instanceof IoAcceptor; // an L listener; else a connection to an R target
                        ForwardCounter c = accepted ? local.get(key(acceptance)) : null;
                        return new CountingSession(service, manager, handler, socket, acceptance, accepted, c);
                    }
                };
            }
        };
    }

    /** The channel events that tie an {@code R} connection to its mapping and count failures. */
    ChannelListener channels() {
        return new ChannelListener() {
            @Override
            public void channelInitialized(Channel ch) {
                // before MINA sizes the channel's receive window from this property
                if ((ch instanceof TcpipClientChannel || ch instanceof ForwardedChannel) && ch.getSession() != null) {
                    long size = windows(ch.getSession()).reserve();
                    ch.setAttribute(WINDOW, size);
                    CoreModuleProperties.WINDOW_SIZE.set(ch, size);
                }
            }

            @Override
            public void channelOpenSuccess(Channel ch) {
                ch.setAttribute(OPENED, Boolean.TRUE);
                if (ch instanceof ForwardedChannel) {
                    ForwardedChannel t = (ForwardedChannel) ch;
                    IoSession port = t.target();
                    if (port instanceof CountingSession) {
                        ((CountingSession) port).attach(remote(t));
                        ((CountingSession) port).channel(t);
                    }
                }
            }

            @Override
            public void channelStateChanged(Channel ch, String hint) {
                if (ch instanceof TcpipClientChannel && "SSH_MSG_CHANNEL_OPEN_FAILURE".equals(hint)) {
                    SshdSocketAddress entrance = ((TcpipClientChannel) ch).getTunnelEntrance();
                    failOnce(ch, entrance == null ? null : local.get(key(entrance)));
                }
            }

            @Override
            public void channelClosed(Channel ch, Throwable reason) {
                Long size = ch.removeAttribute(WINDOW);
                WindowBudget budget = size == null || ch.getSession() == null ? null : ch.getSession().getAttribute(WINDOWS);
                if (budget != null) {
                    budget.release(size);
                }
                if (ch instanceof ForwardedChannel && ch.getAttribute(OPENED) == null) {
                    failOnce(ch, remote((ForwardedChannel) ch)); // the target refused, or the filter did
                }
            }
        };
    }

    /** The receive windows of one SSH connection's forwarding channels. */
    static WindowBudget windows(org.apache.sshd.common.session.Session session) {
        return session.computeAttributeIfAbsent(WINDOWS, k -> new WindowBudget());
    }

    private static void failOnce(Channel ch, ForwardCounter c) {
        if (c != null && ch.setAttribute(FAILED, Boolean.TRUE) == null) {
            c.failed();
        }
    }

    private static ForwardCounter remote(ForwardedChannel t) {
        SshdSocketAddress entrance = t.entrance();
        Attempt a = SshTransport.attempt(t.getSession());
        return entrance == null || a == null ? null : a.remoteCounter(entrance.getPort());
    }

    void countLocal(String host, int port, ForwardCounter c) {
        if (c != null) {
            local.put(key(host, port), c);
        }
    }

    void uncountLocal(String host, int port, ForwardCounter c) {
        if (c != null) {
            local.remove(key(host, port), c);
        }
    }

    private static String key(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            return i.getAddress() != null ? key(i.getAddress(), i.getPort()) : key(i.getHostString(), i.getPort());
        }
        if (a instanceof SshdSocketAddress) {
            return key(((SshdSocketAddress) a).getHostName(), ((SshdSocketAddress) a).getPort());
        }
        return String.valueOf(a);
    }

    /**
     * A listener bound to every address reports itself as {@code 0.0.0.0} or as {@code ::},
     * depending on the JVM's stack, whichever was asked for: both are one key.
     */
    static String key(InetAddress a, int port) {
        return (a.isAnyLocalAddress() ? "*" : a.getHostAddress()) + ":" + port;
    }

    static String key(String host, int port) {
        try {
            return key(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            return host + ":" + port;
        }
    }
}
