package dev.sluice.bus;

/** A running consumer group on the bus. */
public interface BusSubscription extends AutoCloseable {

    /** True once the subscription has its partitions and its start positions, so no later event is missed. */
    boolean isAssigned();

    /** Stops consuming; in-flight events finish first, and their positions are committed. */
    @Override
    void close();
}
