package io.sshtunnel.api;

/**
 * A port mapping entry could not be parsed. The message quotes the entry, says what is
 * wrong and how to write it instead.
 */
public class MappingSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MappingSyntaxException(String message) {
        super(message);
    }
}
