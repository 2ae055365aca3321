package io.sshtunnel.core.ssh;

import java.io.IOException;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.forward.ForwardedTcpipFactory;
import org.apache.sshd.server.forward.TcpipServerChannel;

/**
 * The channels of {@code R} connections ({@code forwarded-tcpip}, opened by the server towards a
 * target on this machine), able to pass on a half-close: when the target stops sending and keeps
 * reading, the server gets {@code SSH_MSG_CHANNEL_EOF} and the other direction stays open, as
 * OpenSSH does. MINA's own channel closes the whole connection instead.
 */
final class HalfClosingTcpipFactory extends ForwardedTcpipFactory {
    @Override
    public Channel createChannel(Session session) throws IOException {
        return new HalfClosingChannel(this);
    }

    /** A {@link TcpipServerChannel} whose port can send EOF. */
    static final class HalfClosingChannel extends TcpipServerChannel implements HalfClosable {
        HalfClosingChannel(HalfClosingTcpipFactory factory) {
            super(factory.getType(), ThreadUtils.noClose(factory.getExecutorService()));
        }

        /**
         * Sends EOF. Called when the target's socket reads its end: MINA reads from it again only
         * after the last data was written to the SSH session, so the EOF follows all of it.
         */
        @Override
        public boolean halfClose() {
            try {
                return sendEof() != null;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
