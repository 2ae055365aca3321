package io.sshtunnel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tests a candidate configuration without saving it: opens one SSH connection to the server,
 * checks the host key, authenticates, and closes it again. Bounded in time by the request's
 * {@code connect.timeout.seconds} (at most 60 s), never retried (a wrong password is tried exactly
 * once), and it never writes a fingerprint anywhere. The engine registers it; the console's
 * editor and the shell's {@code tunnel:test} use it.
 */
@ProviderType
public interface ConnectionTester {
    ConnectionTestResult test(TunnelRequest request);
}
