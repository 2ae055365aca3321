package io.sshtunnel.core.ssh;

import java.security.SecureRandom;
import java.util.List;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.Cipher;

/**
 * Runs the cipher the client offers first over a few MiB of packets, on a background thread of
 * low priority, when the engine first connects a tunnel (beside the key exchange and
 * authentication). Until the JIT has compiled it, encryption runs interpreted and a new JVM's first
 * tunnel moves a tenth of its later speed for a second or more; this moves that cost before the
 * first forwarded byte, and an engine without tunnels does not pay it. It holds no key of any connection: the
 * key is random and thrown away.
 */
final class CipherWarmup implements Runnable {
    /** Packets of MINA's largest data size, each way: enough for the JIT's optimising compiler. */
    static final int PACKETS = 1500;
    static final int PACKET = 32 * 1024;

    private final NamedFactory<Cipher> factory;
    /** Packets encrypted and decrypted again so far. */
    volatile int done;
    /** Why it stopped early, if it did. */
    volatile Throwable failure;

    CipherWarmup(NamedFactory<Cipher> factory) {
        this.factory = factory;
    }

    /** Starts the warm-up of the first cipher, or returns null where there is none. */
    static Thread start(List<NamedFactory<Cipher>> ciphers) {
        if (ciphers.isEmpty()) {
            return null;
        }
        Thread t = new Thread(new CipherWarmup(ciphers.get(0)), "sshtunnel-cipher-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.setContextClassLoader(SshTransport.sshdClassLoader());
        t.start();
        return t;
    }

    @Override
    public void run() {
        try {
            Cipher enc = factory.create();
            Cipher dec = factory.create();
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[enc.getKdfSize()];
            byte[] iv = new byte[enc.getIVSize()]; // zero: ChaCha20's is the packet sequence number; the key is random
            random.nextBytes(key);
            enc.init(Cipher.Mode.Encrypt, key, iv);
            dec.init(Cipher.Mode.Decrypt, key, iv);
            int aad = enc.getAuthenticationTagSize() > 0 ? Integer.BYTES : 0; // AEAD: the packet length is authenticated, not encrypted
            byte[] packet = new byte[aad + PACKET + enc.getAuthenticationTagSize()];
            for (int i = 0; i < PACKETS && !Thread.currentThread().isInterrupted(); i++) {
                if (aad > 0) {
                    enc.updateWithAAD(packet, 0, aad, PACKET);
                    dec.updateWithAAD(packet, 0, aad, PACKET);
                } else {
                    enc.update(packet, 0, PACKET);
                    dec.update(packet, 0, PACKET);
                }
                done = i + 1;
            }
        } catch (Exception | LinkageError e) {
            failure = e; // only a warm-up: the first tunnel is slower for a moment, nothing else
        }
    }
}
