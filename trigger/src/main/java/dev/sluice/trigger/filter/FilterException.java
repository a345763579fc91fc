package dev.sluice.trigger.filter;

/** A filter failed on one event; the event does not pass, and the failure is counted. */
public class FilterException extends RuntimeException {
    public FilterException(String message) {
        super(message);
    }
}
