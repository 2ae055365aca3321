package io.sshtunnel.api;

/**
 * Runs code with a given thread context class loader and puts the previous one back. Libraries
 * such as Apache MINA SSHD look at the context class loader first; in OSGi it must be the loader
 * of the library's own bundle, or they find a second copy of themselves and fail.
 *
 * @deprecated an implementation helper that does not belong in the API; our bundles no longer use
 *             it. It stays for the 1.x line of this package and goes with 2.0. Copy these few
 *             lines where you need them.
 */
@Deprecated
public final class ContextLoader {
    private ContextLoader() {
    }

    /** Code that returns a value and may throw {@code E}. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code action} with {@code loader} as the current thread's context class loader. */
    public static <T, E extends Exception> T call(ClassLoader loader, Action<T, E> action) throws E {
        return io.sshtunnel.common.ContextLoader.<T, E>call(loader, action::run);
    }
}
