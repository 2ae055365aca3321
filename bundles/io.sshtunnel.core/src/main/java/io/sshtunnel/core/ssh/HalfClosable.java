package io.sshtunnel.core.ssh;

/** A forwarding channel that can tell the SSH server "no more data from this side" and keep receiving. */
interface HalfClosable {
    /** Sends {@code SSH_MSG_CHANNEL_EOF}; false when the channel cannot (not open, closing), and the caller closes instead. */
    boolean halfClose();
}
