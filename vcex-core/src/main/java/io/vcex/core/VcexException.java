package io.vcex.core;

/**
 * The one exception a user of vcex sees: its message names the problem in the user's terms (the
 * file, the field, the shape, the value), never an engine stack frame.
 *
 * <p>Code that calls into the engine or the file system catches the low-level exception and
 * rethrows it as a {@code VcexException} with the low-level one as its cause, so the command
 * line can print the message alone and keep the cause for {@code --verbose}.
 */
public class VcexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the file, field, shape or value */
    public VcexException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file, field, shape or value
     * @param cause the low-level exception, kept for diagnostics
     */
    public VcexException(String message, Throwable cause) {
        super(message, cause);
    }
}
