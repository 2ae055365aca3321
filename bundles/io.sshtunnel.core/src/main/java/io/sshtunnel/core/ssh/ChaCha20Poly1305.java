package io.sshtunnel.core.ssh;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.Poly1305Mac;

/**
 * {@code chacha20-poly1305@openssh.com} (OpenSSH's PROTOCOL.chacha20poly1305) with the keystream
 * from the JDK's own ChaCha20 ({@code javax.crypto}, "ChaCha20"), which the JIT compiles to vector
 * instructions on current JDKs, instead of MINA's ChaCha20 written in plain Java that XORs byte by
 * byte. Only Poly1305 stays MINA's.
 *
 * <p>OpenSSH uses the original ChaCha20 (64-bit block counter, 64-bit nonce: the packet sequence
 * number, big-endian). The JDK implements the IETF form (32-bit counter, 96-bit nonce). Within one
 * SSH packet the counter never leaves 32 bits, so the high word of the original counter is always 0
 * and sits, as four zero bytes, at the start of the IETF nonce; the sequence number fills the rest.
 *
 * <p>Per packet: the header key encrypts the 4-byte length at counter 0; the body key's block 0
 * gives the one-time Poly1305 key, and the body is encrypted from block 1 on, in the same pass of
 * one JDK cipher. The JDK refuses an init with the key and nonce of the one before; the nonce here
 * changes with every packet, and a sequence number is never reused under one key (checked below,
 * as MINA does).
 */
public final class ChaCha20Poly1305 implements Cipher {
    public static final String NAME = "chacha20-poly1305@openssh.com";
    private static final int TAG = 16;
    private static final int BLOCK = 64;

    /** The factory the client offers under OpenSSH's name, in place of MINA's. */
    public static final NamedFactory<Cipher> FACTORY = new Factory();

    private final javax.crypto.Cipher header;
    private final javax.crypto.Cipher body;
    private final Poly1305Mac mac = new Poly1305Mac();
    /** 4 zero bytes, then the packet sequence number as 8 big-endian bytes (its top 4 always 0). */
    private final byte[] nonce = new byte[12];
    private final byte[] block0 = new byte[BLOCK];
    private final byte[] zeros = new byte[BLOCK];
    private final byte[] tag = new byte[TAG];
    private SecretKeySpec headerKey;
    private SecretKeySpec bodyKey;
    private Mode mode;
    private long initialSequence;
    private long sequence;
    /** Whether the body cipher was set up by {@link #updateAAD} for the packet {@link #update} completes. */
    private boolean packetStarted;

    public ChaCha20Poly1305() throws Exception {
        this.header = jdkChaCha20();
        this.body = jdkChaCha20();
    }

    /**
     * The JDK's own ChaCha20 (SunJCE), whose IETF form and counter handling this class is written
     * for, even where a container ranks another provider first; any provider's where SunJCE is absent.
     */
    static javax.crypto.Cipher jdkChaCha20() throws Exception {
        try {
            return javax.crypto.Cipher.getInstance("ChaCha20", "SunJCE");
        } catch (java.security.NoSuchProviderException e) {
            return javax.crypto.Cipher.getInstance("ChaCha20");
        }
    }

    @Override
    public void init(Mode mode, byte[] key, byte[] iv) throws Exception {
        if (key.length < 64 || iv.length < 8) {
            throw new IllegalArgumentException("chacha20-poly1305 needs a 64-byte key and an 8-byte IV");
        }
        for (int i = 0; i < 4; i++) {
            if (iv[i] != 0) {
                throw new IllegalStateException("ChaCha20 nonce is not a valid SSH packet sequence number");
            }
        }
        this.mode = mode;
        this.bodyKey = new SecretKeySpec(Arrays.copyOfRange(key, 0, 32), "ChaCha20");
        this.headerKey = new SecretKeySpec(Arrays.copyOfRange(key, 32, 64), "ChaCha20");
        this.initialSequence = ((iv[4] & 0xffL) << 24) | ((iv[5] & 0xffL) << 16) | ((iv[6] & 0xffL) << 8) | (iv[7] & 0xffL);
        this.sequence = initialSequence;
        this.packetStarted = false;
    }

    /** The packet length (4 bytes): encrypted with the header key, authenticated as ciphertext. */
    @Override
    public void updateAAD(byte[] data, int offset, int length) throws Exception {
        if (mode == null) {
            throw new IllegalStateException("Cipher not initialized");
        }
        if (length != 4) {
            throw new IllegalArgumentException("AAD only supported for encrypted packet length");
        }
        setNonce();
        body.init(javax.crypto.Cipher.ENCRYPT_MODE, bodyKey, new ChaCha20ParameterSpec(nonce, 0));
        body.update(zeros, 0, BLOCK, block0, 0); // block 0: its first 32 bytes are the Poly1305 key
        mac.init(Arrays.copyOf(block0, Poly1305Mac.KEY_BYTES));
        Arrays.fill(block0, (byte) 0);
        packetStarted = true;
        if (mode == Mode.Decrypt) {
            mac.update(data, offset, length);
        }
        header.init(javax.crypto.Cipher.ENCRYPT_MODE, headerKey, new ChaCha20ParameterSpec(nonce, 0));
        header.update(data, offset, length, data, offset);
        if (mode == Mode.Encrypt) {
            mac.update(data, offset, length);
        }
    }

    /** The packet body: on decryption the tag after it is checked first, on encryption written after it. */
    @Override
    public void update(byte[] input, int offset, int length) throws Exception {
        if (!packetStarted) {
            throw new IllegalStateException("chacha20-poly1305: the packet length (AAD) comes first");
        }
        packetStarted = false;
        if (mode == Mode.Decrypt) {
            mac.update(input, offset, length);
            mac.doFinal(tag, 0);
            int diff = 0; // constant time, as MessageDigest.isEqual, without copying the tag out
            for (int i = 0; i < TAG; i++) {
                diff |= input[offset + length + i] ^ tag[i];
            }
            if (diff != 0) {
                throw new AEADBadTagException("Tag mismatch");
            }
        }
        // the body cipher stands at block 1 after the Poly1305 key's block
        if (length > 0) {
            body.update(input, offset, length, input, offset);
        }
        if (mode == Mode.Encrypt) {
            mac.update(input, offset, length);
            mac.doFinal(input, offset + length);
        }
        sequence = (sequence + 1) & 0xffff_ffffL;
        if (sequence == initialSequence) {
            throw new IllegalStateException("Packet sequence number cannot be reused with the same key");
        }
    }

    private void setNonce() {
        nonce[8] = (byte) (sequence >>> 24);
        nonce[9] = (byte) (sequence >>> 16);
        nonce[10] = (byte) (sequence >>> 8);
        nonce[11] = (byte) sequence;
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getTransformation() {
        return "ChaCha20";
    }

    @Override
    public int getIVSize() {
        return 8;
    }

    @Override
    public int getAuthenticationTagSize() {
        return TAG;
    }

    @Override
    public int getCipherBlockSize() {
        return 8;
    }

    @Override
    public int getKdfSize() {
        return 64;
    }

    @Override
    public int getKeySize() {
        return 512;
    }

    @Override
    public String toString() {
        return "chacha20-poly1305 (JDK ChaCha20)";
    }

    private static final class Factory implements NamedFactory<Cipher>, OptionalFeature {
        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public Cipher create() {
            try {
                return new ChaCha20Poly1305();
            } catch (Exception e) {
                throw new IllegalStateException("the JDK offers no ChaCha20", e);
            }
        }

        /** Every JDK since 11 has ChaCha20; a JDK built without it falls back to the other ciphers. */
        @Override
        public boolean isSupported() {
            try {
                jdkChaCha20();
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return NAME;
        }
    }
}
