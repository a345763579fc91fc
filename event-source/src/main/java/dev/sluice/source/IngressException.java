package dev.sluice.source;

/** A request the ingress refuses, with the HTTP status and a short plain message for the caller. */
public class IngressException extends RuntimeException {
    private final int status;

    public IngressException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
