package io.sshtunnel.itest;

import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

/**
 * What a test needs from the machine. On a developer's machine a missing piece skips the test;
 * in CI ({@code CI=true}), where {@code .ci/run} installs everything, it fails it, so that no test
 * passes there without having run.
 */
public final class Requirements {
    private Requirements() {
    }

    public static void require(boolean present, String what) {
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI must provide this: " + what);
            }
            assumeTrue(what, false);
        }
    }
}
