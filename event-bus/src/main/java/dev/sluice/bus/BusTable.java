package dev.sluice.bus;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A table on the bus: the latest value of each key, kept across restarts of every service that uses it. Writes of
 * one key are applied in the order they were made.
 */
public interface BusTable {

    /**
     * Sets a key's value; a null value removes the key. The stage completes once the bus has the write durably.
     */
    CompletionStage<Void> put(String key, byte[] value);

    /**
     * Every key that starts with {@code prefix}, with its latest value, as of the writes the bus had acknowledged
     * when the read began. Blocks until it has read them.
     */
    Map<String, byte[]> read(String prefix);
}
