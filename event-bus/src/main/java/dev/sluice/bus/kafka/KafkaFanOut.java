package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.concurrent.DaemonThreads;
import io.cloudevents.CloudEvent;

/**
 * One reader in this replica for a set of topics, shared by every {@link dev.sluice.bus.Bus#subscribeShared shared
 * subscription} of the bus to exactly those topics (the Triggers that read them): it fetches and decodes each record
 * once and hands the one event to every subscriber.
 * <p>
 * The reader is a member of a group of its own ({@link dev.sluice.bus.BusNames#fanOutGroup}), static under this
 * replica's id, with the range assignor: that group only shares the partitions out among the replicas, so that each
 * replica reads partition p of every topic of the set (a Trigger's correlation window of partition p sees both
 * inputs of a join). It commits nothing. Positions stay in each subscriber's own group ({@code sluice-trigger-...}),
 * committed with the admin client as a group without members, so a position carries over from a version that had one
 * consumer per subscriber. An event is committed for a subscriber only once that subscriber's stage for it, and for
 * every earlier event of its partition, completed.
 * <p>
 * Isolation: each subscriber holds at most {@value #MAX_IN_FLIGHT} events in flight (and one poll more). At that
 * bound the reader waits for it (the shared consumer pauses), so subscribers that are all slow pace the reader
 * together and nothing piles up. A subscriber that stays at its bound for {@link #DROP_OUT_AFTER} while another has
 * drained half of its own and waits (its sink is down and it retries, or it is just slower) drops out: it reads on a consumer of its own, with no group,
 * from its own next position, paused at its own bound, and the reader goes on for the others. Once it has caught up
 * with the reader and has room, its consumer closes and it takes the reader's events again. At an assignment, a
 * subscriber more than {@value #BEHIND_LIMIT} events behind the furthest starts on its own, and the reader starts at
 * the least position of the others; those ahead of it skip what they had. A new subscriber without a committed
 * position starts where the reader is, and commits it at once, so a crash before its first outcome skips nothing.
 * <p>
 * Everything runs on the reader's thread: the shared consumer, the subscribers' own consumers, joining and leaving.
 * A subscriber that leaves stops taking events, and leaves once its events in flight completed (within
 * {@link #CLOSE_GRACE}) and were committed; the others go on meanwhile.
 */
final class KafkaFanOut implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaFanOut.class);
    /** Events in flight per subscriber: as many as a consumer of its own held before, twice a lane's default. */
    static final int MAX_IN_FLIGHT = 200;
    /** How long a subscriber may hold the reader at its bound, while another wants more, before it drops out. */
    static final Duration DROP_OUT_AFTER = Duration.ofSeconds(1);
    /** How far behind the furthest subscriber one may be at an assignment and still start on the shared reader. */
    static final long BEHIND_LIMIT = 10_000;
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final long COMMIT_INTERVAL_MILLIS = 500;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a rebalance waits for the events in flight of the partitions it takes away. */
    private static final Duration REVOKE_GRACE = Duration.ofSeconds(10);
    /** How long closing waits for events in flight: waiting, committing and leaving fit in a 30 s grace period. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    private record InFlight(long offset, CompletableFuture<Void> outcome) {
    }

    private final String group;
    private final List<String> topics;
    private final Admin admin;
    private final Supplier<? extends Consumer<String, byte[]>> sharedConsumers;
    private final Supplier<? extends Consumer<String, byte[]>> ownConsumers;
    private final BinaryEventDeserializer deserializer = new BinaryEventDeserializer();
    private final Thread thread;
    private final ConsumerFailures failures;
    /** Work handed to the reader's thread: joining, leaving, and the answers of commits. */
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger attached = new AtomicInteger();
    private volatile boolean running = true;

    // the reader's thread only
    private Consumer<String, byte[]> shared;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    /** Per owned partition, the offset of the next record the shared consumer hands out. */
    private final Map<TopicPartition, Long> position = new HashMap<>();
    private boolean joined;
    private long lastCommit;

    /**
     * @param group the group in which the replicas share out the partitions ({@link dev.sluice.bus.BusNames#fanOutGroup})
     * @param sharedConsumers makes the member of {@code group}, with auto commit off
     * @param ownConsumers makes a consumer without a group, for a subscriber that fell behind
     * @param admin commits and reads the subscribers' positions in their groups
     */
    KafkaFanOut(String group, Collection<String> topics, Supplier<? extends Consumer<String, byte[]>> sharedConsumers,
            Supplier<? extends Consumer<String, byte[]>> ownConsumers, Admin admin) {
        this.group = group;
        this.topics = List.copyOf(topics);
        this.sharedConsumers = sharedConsumers;
        this.ownConsumers = ownConsumers;
        this.admin = admin;
        this.thread = DaemonThreads.named("sluice-bus-" + group).newThread(this::run);
        this.failures = new ConsumerFailures("Shared reader " + group + " on " + this.topics);
    }

    void start() {
        thread.start();
    }

    List<String> topics() {
        return topics;
    }

    /** Subscriptions attached and not yet closed; the bus closes the reader when none is left. */
    boolean isUnused() {
        return attached.get() == 0;
    }

    /**
     * Attaches a subscriber with its own group: from the next assignment, or at once where the reader has its
     * partitions, it gets every event from its group's committed position on.
     *
     * @param onClosed runs once it left, on the thread that closed it
     */
    BusSubscription attach(String subscriberGroup, BusEventHandler handler, java.util.function.Consumer<KafkaFanOut> onClosed) {
        attached.incrementAndGet();
        Subscriber subscriber = new Subscriber(subscriberGroup, handler, onClosed);
        commands.add(() -> join(subscriber));
        return subscriber;
    }

    private void run() {
        ConsumerThreadLoop.run(LOG, "Shared reader " + group + " on " + topics, () -> running, closing, failures,
                this::subscribeShared, this::pollStep, this::joinAgain, this::finish);
    }

    private void subscribeShared() {
        shared = sharedConsumers.get();
        shared.subscribe(topics, new Rebalances());
    }

    private void pollStep() {
        runCommands();
        boolean busy = subscribers.stream().anyMatch(s -> s.inFlightCount > 0 || s.own != null || s.leaving);
        ConsumerRecords<String, byte[]> records = shared.poll(busy ? BUSY_POLL : IDLE_POLL);
        failures.pollSucceeded();
        fanOut(records);
        pollOwnConsumers();
        settleAll();
        dropOutOrRejoin();
        leaveWhenDone();
        commitWhenDue();
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                // one subscriber's trouble (its handler failed to load its windows) stops no other
                LOG.errorf(e, "Shared reader %s on %s: a subscriber could not join or leave", group, topics);
            }
        }
    }

    /** Hands each record, decoded once, to every subscriber that reads on the shared consumer and has not had it. */
    private void fanOut(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            BusEvent event = decode(record);
            for (Subscriber subscriber : subscribers) {
                if (subscriber.readsShared()) {
                    subscriber.offer(partition, record.offset(), event);
                }
            }
            position.put(partition, record.offset() + 1);
        }
        pauseOrResume();
    }

    /** Null for a record that is not a CloudEvent: logged, and consumed. */
    private BusEvent decode(ConsumerRecord<String, byte[]> record) {
        try {
            CloudEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
            return new BusEvent(record.topic(), record.partition(), record.offset(), event);
        } catch (RuntimeException e) {
            LOG.errorf("Skipped record %s-%d@%d of %s: not a CloudEvent (%s)", record.topic(), record.partition(),
                    record.offset(), group, e.getMessage());
            return null;
        }
    }

    private void pollOwnConsumers() {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.own == null) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : subscriber.own.poll(Duration.ZERO)) {
                subscriber.offer(new TopicPartition(record.topic(), record.partition()), record.offset(), decode(record));
            }
            Set<TopicPartition> assignment = subscriber.own.assignment();
            if (subscriber.inFlightCount >= MAX_IN_FLIGHT) {
                subscriber.own.pause(assignment);
            } else {
                subscriber.own.resume(assignment);
            }
        }
    }

    private void settleAll() {
        subscribers.forEach(Subscriber::settle);
    }

    /** The shared consumer waits while a subscriber that reads on it is at its bound. */
    private void pauseOrResume() {
        boolean full = subscribers.stream().anyMatch(s -> s.readsShared() && s.inFlightCount >= MAX_IN_FLIGHT);
        Set<TopicPartition> assignment = shared.assignment();
        if (full) {
            shared.pause(assignment);
        } else {
            shared.resume(assignment);
        }
    }

    /**
     * A subscriber at its bound holds the reader back. It drops out once it held it for {@link #DROP_OUT_AFTER}
     * while another had drained half of its own bound and waited: the one is stuck or slower, not the whole
     * service busy. Subscribers that are all at their bound pace the reader together, and none drops out.
     */
    private void dropOutOrRejoin() {
        long now = System.nanoTime();
        // one at its bound is not among those: they are others
        boolean othersWait = subscribers.stream().anyMatch(s -> s.readsShared() && s.inFlightCount < MAX_IN_FLIGHT / 2);
        for (Subscriber subscriber : subscribers) {
            if (subscriber.readsShared()) {
                if (subscriber.inFlightCount < MAX_IN_FLIGHT || !othersWait) {
                    subscriber.holdingSince = -1;
                } else if (subscriber.holdingSince < 0) {
                    subscriber.holdingSince = now;
                } else if (now - subscriber.holdingSince > DROP_OUT_AFTER.toNanos()) {
                    LOG.infof("%s is %d events behind on %s: it reads on a consumer of its own until it catches up",
                            subscriber.group, subscriber.inFlightCount, topics);
                    readOnItsOwn(subscriber);
                }
            } else if (subscriber.own != null && !subscriber.leaving && subscriber.inFlightCount < MAX_IN_FLIGHT / 2
                    && owned.stream().allMatch(p -> subscriber.next(p) >= position.getOrDefault(p, Long.MAX_VALUE))) {
                subscriber.closeOwn();
                LOG.infof("%s caught up on %s: it reads on the shared reader again", subscriber.group, topics);
            }
        }
        pauseOrResume();
    }

    /** Starts (or points again) the subscriber's own consumer at its next position in every owned partition. */
    private void readOnItsOwn(Subscriber subscriber) {
        if (subscriber.own == null) {
            subscriber.own = ownConsumers.get();
            subscriber.onItsOwn = true;
        }
        subscriber.own.assign(owned);
        owned.forEach(p -> subscriber.own.seek(p, subscriber.next(p)));
        subscriber.holdingSince = -1;
    }

    private void leaveWhenDone() {
        long now = System.nanoTime();
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            if (subscriber.leaving && (subscriber.inFlightCount == 0 || now - subscriber.leaveBy > 0)) {
                subscribers.remove(subscriber);
                subscriber.forgetInFlight();
                Map<TopicPartition, OffsetAndMetadata> offsets = subscriber.toCommit();
                if (offsets.isEmpty()) {
                    subscriber.left.complete(null);
                } else {
                    admin.alterConsumerGroupOffsets(subscriber.group, offsets).all().whenComplete((ok, error) -> {
                        if (error != null) {
                            LOG.warnf("%s could not commit as it left: %s", subscriber.group, error.getMessage());
                        }
                        subscriber.left.complete(null);
                    });
                }
            }
        }
    }

    private void commitWhenDue() {
        long now = System.nanoTime();
        if (now - lastCommit < TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS)) {
            return;
        }
        lastCommit = now;
        for (Subscriber subscriber : subscribers) {
            if (subscriber.committing && now - subscriber.commitStarted < COMMIT_TIMEOUT.toNanos()) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = subscriber.toCommit();
            if (offsets.isEmpty()) {
                continue;
            }
            subscriber.committing = true;
            subscriber.commitStarted = now;
            // the answer comes on the admin client's thread, and is taken in on this one
            admin.alterConsumerGroupOffsets(subscriber.group, offsets).all().whenComplete((ok, error) -> commands.add(() -> {
                subscriber.committing = false;
                if (error == null) {
                    offsets.forEach(subscriber.uncommitted::remove); // unless a later offset came meanwhile
                    subscriber.commitError = null;
                } else if (!String.valueOf(error.getMessage()).equals(subscriber.commitError)) {
                    // a group that still has members (a replica of an older version) refuses until they left
                    subscriber.commitError = String.valueOf(error.getMessage());
                    LOG.warnf("%s could not commit its position: %s; retrying", subscriber.group, error.getMessage());
                }
            }));
        }
    }

    /** Commits, and waits for, the subscriber's progress in {@code partitions}; for rebalances and closing. */
    private void commitNow(Subscriber subscriber, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = subscriber.toCommit();
        offsets.keySet().retainAll(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            admin.alterConsumerGroupOffsets(subscriber.group, offsets).all().get(COMMIT_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            offsets.forEach(subscriber.uncommitted::remove);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("%s could not commit %s: %s; the next reader reads them again", subscriber.group,
                    offsets.keySet(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * A subscriber that comes while the reader holds partitions starts at its committed position: where the reader
     * is or past it on the shared reader, behind it on its own. Without a committed position it starts where the
     * reader is. Before the first assignment it waits for it.
     */
    private void join(Subscriber subscriber) {
        subscribers.add(subscriber);
        if (!joined) {
            return;
        }
        if (!owned.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(List.of(subscriber), owned).get(subscriber.group);
            boolean behind = false;
            for (TopicPartition partition : owned) {
                OffsetAndMetadata offset = committed.get(partition);
                long at = position.get(partition);
                if (offset == null) {
                    subscriber.uncommitted.put(partition, new OffsetAndMetadata(at));
                }
                long next = offset == null ? at : offset.offset();
                subscriber.nextOffset.put(partition, next);
                behind |= next < at;
            }
            if (behind) {
                readOnItsOwn(subscriber);
            }
            subscriber.handler.assigned(numbers(owned));
        }
        subscriber.positioned = true;
        subscriber.assigned = true;
    }

    /** The committed positions of the subscribers' groups in {@code partitions}; retried until they can be had. */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> committed(List<Subscriber> who,
            Collection<TopicPartition> partitions) {
        if (who.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        who.forEach(s -> specs.put(s.group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)));
        while (true) {
            try {
                var result = admin.listConsumerGroupOffsets(specs);
                Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
                for (Subscriber subscriber : who) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    // partitions without a committed offset come back with null values
                    result.partitionsToOffsetAndMetadata(subscriber.group).get(COMMIT_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS).forEach((p, o) -> {
                                if (o != null) {
                                    offsets.put(p, o);
                                }
                            });
                    committed.put(subscriber.group, offsets);
                }
                return committed;
            } catch (ExecutionException | TimeoutException e) {
                failures.failed("reading the subscribers' positions", new KafkaException(e.getMessage(), e));
                try {
                    if (closing.await(FAILURE_BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new InterruptException(new InterruptedException("closing"));
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(interrupted);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    /**
     * Positions the shared consumer in newly assigned partitions: at the least committed position of the subscribers
     * within {@value #BEHIND_LIMIT} of the furthest; those further behind read on their own.
     */
    private void assign(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = committed(subscribers, partitions);
        Map<TopicPartition, Long> ends = shared.endOffsets(partitions, COMMIT_TIMEOUT);
        for (TopicPartition partition : partitions) {
            long end = ends.getOrDefault(partition, 0L);
            Map<Subscriber, Long> next = new HashMap<>();
            for (Subscriber subscriber : subscribers) {
                OffsetAndMetadata offset = committed.get(subscriber.group).get(partition);
                next.put(subscriber, offset == null ? end : offset.offset());
                if (offset == null) {
                    subscriber.uncommitted.put(partition, new OffsetAndMetadata(end));
                }
            }
            long furthest = next.values().stream().mapToLong(Long::longValue).max().orElse(end);
            long start = next.values().stream().mapToLong(Long::longValue).filter(n -> n >= furthest - BEHIND_LIMIT)
                    .min().orElse(end);
            shared.seek(partition, start);
            position.put(partition, start);
            next.forEach((subscriber, offset) -> subscriber.nextOffset.put(partition, offset));
        }
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.leaving
                    && (subscriber.own != null || owned.stream().anyMatch(p -> subscriber.next(p) < position.get(p)))) {
                readOnItsOwn(subscriber);
            }
            if (!partitions.isEmpty()) {
                subscriber.handler.assigned(numbers(partitions));
            }
            subscriber.positioned = true;
            subscriber.assigned = true;
        }
        joined = true;
    }

    private void revoke(Collection<TopicPartition> partitions, boolean lost) {
        long deadline = System.nanoTime() + REVOKE_GRACE.toNanos();
        for (Subscriber subscriber : subscribers) {
            if (!lost) {
                subscriber.awaitInFlight(partitions, deadline);
                subscriber.settle();
                commitNow(subscriber, partitions);
            }
            partitions.forEach(subscriber::forget);
            subscriber.assigned = false;
            subscriber.handler.revoked(numbers(partitions));
        }
        owned.removeAll(partitions);
        partitions.forEach(position::remove);
        for (Subscriber subscriber : subscribers) {
            if (subscriber.own != null) {
                subscriber.own.assign(owned);
            }
        }
    }

    /** The group gave this replica's id to another member: as {@link KafkaConsumerLoop}, join again with a new consumer. */
    private void joinAgain() {
        revoke(List.copyOf(owned), true);
        joined = false;
        subscribers.forEach(s -> s.positioned = false);
        try {
            shared.close(CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
            LOG.debugf("Fenced consumer %s closed with %s", group, e.getMessage());
        }
        LOG.warnf("Shared reader %s on %s was fenced from its group; joining again with a new consumer", group, topics);
        shared = sharedConsumers.get();
        shared.subscribe(topics, new Rebalances());
    }

    private void finish() {
        try {
            runCommands();
            long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
            for (Subscriber subscriber : subscribers) {
                subscriber.awaitInFlight(owned, deadline);
                subscriber.settle();
                commitNow(subscriber, owned);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Shared reader %s could not commit on close: %s", group, e.getMessage());
        } finally {
            subscribers.forEach(subscriber -> {
                subscriber.closeOwn();
                subscriber.left.complete(null);
            });
            try {
                // a static member stays in its group on a plain close, and its partitions with it
                if (shared != null) {
                    shared.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(LEAVE_TIMEOUT));
                }
            } catch (RuntimeException e) {
                LOG.debugf("Shared reader %s closed with %s", group, e.getMessage());
            }
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }


    /** Stops reading: in-flight events get a grace period, and what completed is committed for each subscriber. */
    @Override
    public void close() {
        running = false;
        closing.countDown();
        Consumer<String, byte[]> consumer = shared;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(CLOSE_GRACE.plus(COMMIT_TIMEOUT).plus(LEAVE_TIMEOUT).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One subscriber: its group, its next offsets and its events in flight; read and written on the reader's thread. */
    private final class Subscriber implements BusSubscription {
        final String group;
        final BusEventHandler handler;
        final java.util.function.Consumer<KafkaFanOut> onClosed;
        final Map<TopicPartition, Long> nextOffset = new HashMap<>();
        final Map<TopicPartition, Deque<InFlight>> inFlight = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
        final CompletableFuture<Void> left = new CompletableFuture<>();
        final AtomicBoolean closed = new AtomicBoolean();
        int inFlightCount;
        /** Its consumer while it reads on its own; null while it reads on the shared one. */
        Consumer<String, byte[]> own;
        boolean positioned;
        boolean leaving;
        long leaveBy;
        /** Since when it holds the reader back while others wait; -1 while it does not. */
        long holdingSince = -1;
        boolean committing;
        long commitStarted;
        String commitError;
        volatile boolean assigned;
        volatile boolean onItsOwn;

        Subscriber(String group, BusEventHandler handler, java.util.function.Consumer<KafkaFanOut> onClosed) {
            this.group = group;
            this.handler = handler;
            this.onClosed = onClosed;
        }

        boolean readsShared() {
            return own == null && positioned && !leaving;
        }

        long next(TopicPartition partition) {
            return nextOffset.getOrDefault(partition, Long.MAX_VALUE);
        }

        /** Hands it one record, unless it had it already; {@code event} null for a record that is no CloudEvent. */
        void offer(TopicPartition partition, long offset, BusEvent event) {
            if (offset < next(partition)) {
                return;
            }
            CompletableFuture<Void> outcome;
            if (event == null) {
                outcome = CompletableFuture.completedFuture(null);
            } else {
                try {
                    outcome = handler.handle(event).toCompletableFuture().exceptionally(error -> failedOn(event, error));
                } catch (RuntimeException e) {
                    outcome = CompletableFuture.completedFuture(failedOn(event, e));
                }
            }
            inFlight.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(new InFlight(offset, outcome));
            inFlightCount++;
            nextOffset.put(partition, offset + 1);
        }

        /** A failed stage counts as consumed: retrying is the handler's business, not the bus's. */
        private Void failedOn(BusEvent event, Throwable error) {
            LOG.errorf("Event %s at %s@%d of group %s failed: %s", event.event().getId(), event.stream(),
                    event.offset(), group, error.getMessage());
            return null;
        }

        /** Moves completed events, in offset order per partition, to the offsets to commit. */
        void settle() {
            inFlight.entrySet().removeIf(entry -> {
                Deque<InFlight> records = entry.getValue();
                Long next = null;
                while (!records.isEmpty() && records.peekFirst().outcome().isDone()) {
                    next = records.pollFirst().offset() + 1;
                    inFlightCount--;
                }
                if (next != null) {
                    uncommitted.put(entry.getKey(), new OffsetAndMetadata(next));
                }
                return records.isEmpty();
            });
        }

        void awaitInFlight(Collection<TopicPartition> partitions, long deadline) {
            for (TopicPartition partition : partitions) {
                for (InFlight record : inFlight.getOrDefault(partition, new ArrayDeque<>())) {
                    try {
                        record.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptException(e);
                    }
                }
            }
        }

        /** Forgets a partition: what was in flight or not committed there is read again by its next reader. */
        void forget(TopicPartition partition) {
            Deque<InFlight> records = inFlight.remove(partition);
            if (records != null) {
                inFlightCount -= records.size();
            }
            uncommitted.remove(partition);
            nextOffset.remove(partition);
        }

        void forgetInFlight() {
            inFlight.clear();
            inFlightCount = 0;
        }

        Map<TopicPartition, OffsetAndMetadata> toCommit() {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
            offsets.keySet().retainAll(owned);
            return offsets;
        }

        void closeOwn() {
            if (own != null) {
                try {
                    own.close(CloseOptions.timeout(Duration.ZERO));
                } catch (RuntimeException e) {
                    LOG.debugf("Own consumer of %s closed with %s", group, e.getMessage());
                }
                own = null;
                onItsOwn = false;
            }
        }

        @Override
        public boolean isAssigned() {
            return assigned;
        }

        @Override
        public boolean isOnItsOwn() {
            return onItsOwn;
        }

        /** Stops taking events; returns once those in flight completed (or the grace passed) and were committed. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (!left.isDone()) {
                commands.add(() -> {
                    leaving = true;
                    leaveBy = System.nanoTime() + CLOSE_GRACE.toNanos();
                    closeOwn();
                });
                if (!running || !thread.isAlive()) {
                    left.complete(null); // the reader is closing: its close waits for what is in flight
                }
                try {
                    left.get(CLOSE_GRACE.plus(COMMIT_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warnf("%s did not leave the shared reader in time: %s", group, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            attached.decrementAndGet();
            onClosed.accept(KafkaFanOut.this);
        }
    }

    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoke(partitions, false);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoke(partitions, true);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assign(partitions);
            LOG.debugf("Shared reader %s assigned %s", group, partitions);
        }
    }
}
