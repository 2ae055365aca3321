package io.sshtunnel.core.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.apache.sshd.common.cipher.ChaCha20Cipher;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

/**
 * Our chacha20-poly1305@openssh.com (the JDK's ChaCha20) against MINA's own, which OpenSSH
 * interoperates with: the same key and sequence numbers give the same bytes, packet after packet,
 * each decrypts the other's, and a changed byte anywhere is refused.
 */
class ChaCha20Poly1305Test {
    private final Random random = new Random(20261207);

    private static final int[] SIZES = { 0, 1, 8, 63, 64, 65, 127, 1000, 4096, 32 * 1024 + 24 };

    private byte[] key() {
        byte[] key = new byte[64];
        random.nextBytes(key);
        return key;
    }

    private static byte[] iv(long sequence) {
        byte[] iv = new byte[8];
        for (int i = 0; i < 4; i++) {
            iv[7 - i] = (byte) (sequence >>> (8 * i));
        }
        return iv;
    }

    /** A packet as MINA lays it out: 4 bytes of length, the body, room for the 16-byte tag. */
    private byte[] packet(int body) {
        byte[] p = new byte[4 + body + 16];
        random.nextBytes(p);
        p[0] = 0;
        p[1] = 0;
        p[2] = (byte) (body >>> 8);
        p[3] = (byte) body;
        return p;
    }

    private static void seal(Cipher c, byte[] p) throws Exception {
        c.updateWithAAD(p, 0, 4, p.length - 20);
    }

    @Test
    void givesTheSameBytesAsMinasCipherAndEachOpensTheOthers() throws Exception {
        for (long start : new long[] { 0, 3, 0xffff_fffbL }) { // the last crosses the sequence number's wrap
            byte[] key = key();
            Cipher oursOut = new ChaCha20Poly1305();
            Cipher minaOut = new ChaCha20Cipher();
            Cipher oursIn = new ChaCha20Poly1305();
            Cipher minaIn = new ChaCha20Cipher();
            oursOut.init(Cipher.Mode.Encrypt, key, iv(start));
            minaOut.init(Cipher.Mode.Encrypt, key, iv(start));
            oursIn.init(Cipher.Mode.Decrypt, key, iv(start));
            minaIn.init(Cipher.Mode.Decrypt, key, iv(start));
            for (int round = 0; round < 3; round++) {
                for (int size : SIZES) {
                    byte[] plain = packet(size);
                    byte[] a = plain.clone();
                    byte[] b = plain.clone();
                    seal(oursOut, a);
                    seal(minaOut, b);
                    assertArrayEquals(b, a, "ciphertext and tag of a " + size + "-byte body from sequence " + start);
                    assertTrue(size == 0 || !Arrays.equals(Arrays.copyOfRange(plain, 4, 4 + size), Arrays.copyOfRange(a, 4, 4 + size)));
                    // MINA opens ours, we open MINA's: both give the plain text back
                    minaIn.updateWithAAD(a, 0, 4, size);
                    oursIn.updateWithAAD(b, 0, 4, size);
                    assertArrayEquals(Arrays.copyOf(plain, 4 + size), Arrays.copyOf(a, 4 + size));
                    assertArrayEquals(Arrays.copyOf(plain, 4 + size), Arrays.copyOf(b, 4 + size));
                }
            }
        }
    }

    @Test
    void aChangedByteOfLengthBodyOrTagIsRefused() throws Exception {
        byte[] key = key();
        for (int at : new int[] { 1, 4, 4 + 99, 4 + 100 + 15 }) {
            Cipher out = new ChaCha20Poly1305();
            Cipher in = new ChaCha20Poly1305();
            out.init(Cipher.Mode.Encrypt, key, iv(9));
            in.init(Cipher.Mode.Decrypt, key, iv(9));
            byte[] p = packet(100);
            seal(out, p);
            p[at] ^= 1;
            assertThrows(AEADBadTagException.class, () -> in.updateWithAAD(p, 0, 4, 100), "byte " + at + " changed");
        }
    }

    @Test
    void theFactoryIsOfferedUnderOpenSshsName() {
        assertTrue(((org.apache.sshd.common.OptionalFeature) ChaCha20Poly1305.FACTORY).isSupported());
        assertTrue(ChaCha20Poly1305.FACTORY.create() instanceof ChaCha20Poly1305);
        assertTrue("chacha20-poly1305@openssh.com".equals(ChaCha20Poly1305.FACTORY.getName()));
    }
}
