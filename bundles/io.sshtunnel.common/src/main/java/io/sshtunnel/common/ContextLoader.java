package io.sshtunnel.common;

/**
 * Runs code with a given thread context class loader and puts the previous one back. Libraries
 * such as Apache MINA SSHD look at the context class loader first; in OSGi it must be the loader
 * of the library's own bundle, or they find a second copy of themselves and fail.
 */
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
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.run();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
