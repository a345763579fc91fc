package dev.sluice.bus;

import java.util.Optional;

/** A running consumer group on the bus. */
public interface BusSubscription extends AutoCloseable {

    /** True once the subscription has its partitions and its start positions, so no later event is missed. */
    boolean isAssigned();

    /**
     * What an unassigned subscription waits for, when the bus can say better than "its partitions"; shown in the
     * resource's condition.
     */
    default Optional<String> waitingFor() {
        return Optional.empty();
    }

    /**
     * True while a {@link Bus#subscribeShared shared} subscription reads on a consumer of its own, having fallen too
     * far behind the others that share its reader; it rejoins them once it caught up.
     */
    default boolean isOnItsOwn() {
        return false;
    }

    /** Stops consuming; in-flight events finish first, and their positions are committed. */
    @Override
    void close();
}
