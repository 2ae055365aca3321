import io.sshtunnel.itest.*;
import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * MINA SSHD's three I/O back-ends side by side, each in a JVM of its own: a stock client (no tuning of
 * ours), one L forward through a private OpenSSH sshd to an echo server, 1-byte round trips (10,000
 * after 2,000 to warm up) and 128 MiB echoed both ways. Run by io-backends.sh; not part of the build.
 */
public class IoBackends {
  public static void main(String[] a) throws Exception {
    String backend = a[0];
    try (OpenSsh sshd = OpenSsh.start(Files.createTempDirectory("ioexp"), "ClientAliveInterval 0"); EchoServer echo = new EchoServer()) {
      SshClient c = SshClient.setUpDefaultClient();
      if (backend.equals("mina")) c.setIoServiceFactoryFactory(new org.apache.sshd.mina.MinaServiceFactoryFactory());
      if (backend.equals("netty")) c.setIoServiceFactoryFactory(new org.apache.sshd.netty.NettyIoServiceFactoryFactory());
      c.setServerKeyVerifier((s, r, k) -> true);
      CoreModuleProperties.TCP_NODELAY.set(c, true);
      c.start();
      ClientSession s = c.connect(System.getProperty("user.name"), "127.0.0.1", sshd.port()).verify(10000).getSession();
      s.addPublicKeyIdentity(new FileKeyPairProvider(sshd.clientKey()).loadKeys(null).iterator().next());
      s.auth().verify(10000);
      SshdSocketAddress bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", echo.port()));
      try (Socket sock = new Socket("127.0.0.1", bound.getPort())) {
        sock.setTcpNoDelay(true);
        OutputStream out = sock.getOutputStream(); InputStream in = sock.getInputStream();
        long[] t = new long[10000];
        for (int i = 0; i < 12000; i++) {
          long t0 = System.nanoTime(); out.write(1); out.flush(); if (in.read() < 0) throw new EOFException();
          if (i >= 2000) t[i - 2000] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        System.out.printf("%s: p50 %.1f us, p99 %.1f us%n", backend, t[5000] / 1e3, t[9900] / 1e3);
      }
      // throughput 256 MiB through L to a sink? echo both ways: 64 MiB
      try (Socket sock = new Socket("127.0.0.1", bound.getPort())) {
        InputStream in = sock.getInputStream(); OutputStream out = sock.getOutputStream();
        byte[] buf = new byte[64 * 1024]; long total = 128L << 20;
        Thread r = new Thread(() -> { try { long got = 0; byte[] b = new byte[64*1024]; while (got < total) { int n = in.read(b); if (n < 0) break; got += n; } } catch (IOException e) {} });
        long t0 = System.nanoTime(); r.start();
        for (long sent = 0; sent < total; sent += buf.length) out.write(buf);
        r.join();
        System.out.printf("%s: echo 128 MiB both ways %.2f Gbit/s%n", backend, total * 8 / ((System.nanoTime() - t0) / 1e9) / 1e9);
      }
      c.stop();
    }
  }
}
