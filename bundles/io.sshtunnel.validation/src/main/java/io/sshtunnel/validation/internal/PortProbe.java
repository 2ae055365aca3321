package io.sshtunnel.validation.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a local port can be bound now (tried, not guessed). */
interface PortProbe {
    boolean isFree(String bindHost, int port);

    /**
     * Tries to bind the port on the given address and lets it go at once. Only "address already
     * in use" counts as taken; an address this machine does not have, or a port it may not bind,
     * is not "in use by another program" (the engine reports those when it binds).
     */
    static PortProbe bySocket() {
        return (host, port) -> {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                return true;
            } catch (BindException e) {
                return !String.valueOf(e.getMessage()).contains("in use");
            } catch (IOException | RuntimeException e) {
                return true;
            }
        };
    }
}
