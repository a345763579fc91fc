package dev.sluice.bus;

/**
 * The bus refused an event at once, without trying, because it is out of storage (the embedded broker's disk is
 * nearly full). The HTTP ingress answers 507 with {@code Retry-After}; the other publishers retry later.
 */
public class BusFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BusFullException(String message) {
        super(message);
    }
}
