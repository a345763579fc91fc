package dev.sluice.bus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.kinds.ResourceKind;
import dev.sluice.resources.ResourceCatalog;

/**
 * The one mapping from (namespace, name, event) to the names Sluice gives things on a broker: bus topics, consumer
 * groups and MQTT client ids. It is one-to-one, so {@code team-a/b} and {@code team/a-b} never share a topic or a
 * group, and every name it makes is a valid Kafka topic name ({@code [a-zA-Z0-9._-]}, at most 249 characters).
 *
 * <p>Each part is written as it is where it is made only of letters and digits, which keeps OpenFunction's
 * readable {@code {namespace}-{eventsource}-{event}}; parts are joined with a single {@code -}. Within a part:
 * <ul>
 * <li>a {@code -} that is neither first nor last is doubled ({@code team-a} becomes {@code team--a});</li>
 * <li>any other character (a {@code .}, a {@code _}, a {@code -} at either end, anything outside ASCII letters and
 * digits) is written {@code _xx}, xx being each UTF-8 byte in lower-case hex ({@code .} is {@code _2e}).</li>
 * </ul>
 * So every part starts and ends with a letter, digit or {@code _}, and holds only even runs of {@code -}: the
 * separators are exactly the single {@code -} characters, and {@link #parts} reads the parts back. Sluice's names
 * hold no {@code .}, so none of them can clash with another under Kafka's rule that {@code .} and {@code _}
 * collide in metric names. A name over 249 characters, or an empty part, cannot be mapped: the resource is
 * {@code Ready=False} with reason {@code NameNotMappable}.
 */
public final class BusNames {
    /** Kafka's longest topic name. */
    public static final int MAX_LENGTH = 249;
    private static final String TRIGGER_GROUP = "sluice-trigger-";
    private static final String SOURCE_GROUP = "sluice-source-";
    private static final String CRON_LEASE = "sluice-cron-";
    private static final String FAN_OUT_GROUP = "sluice-fanout-";
    private static final String CLIENT = "sluice-";
    private static final String HEX_DIGITS = "0123456789abcdef";
    private static final char[] HEX = HEX_DIGITS.toCharArray();

    private BusNames() {
    }

    /**
     * The bus topic an event source publishes one event to.
     *
     * @param field the field to name if the parts cannot be mapped
     * @throws InvalidSpecException {@code NameNotMappable}
     */
    public static String topic(String namespace, String eventSource, String event, String field) {
        return checked(join(namespace, eventSource, event), field);
    }

    /** As {@link #topic(String, String, String, String)}, naming {@code metadata.name} when it cannot be mapped. */
    public static String topic(String namespace, String eventSource, String event) {
        return topic(namespace, eventSource, event, "metadata.name");
    }

    /** The consumer group of a Trigger. */
    public static String triggerGroup(String namespace, String trigger) {
        return checked(TRIGGER_GROUP + join(namespace, trigger), "metadata.name");
    }

    /**
     * The consumer group of subscriber number {@code index} of a Trigger: the Trigger's group for the first (so its
     * position carries over from when a Trigger had one group), and a third part, the index, for the others.
     */
    public static String subscriberGroup(String namespace, String trigger, int index) {
        return index == 0 ? triggerGroup(namespace, trigger)
                : checked(TRIGGER_GROUP + join(namespace, trigger, String.valueOf(index)), "metadata.name");
    }

    /**
     * The consumer group in which the replicas share out the partitions of {@code topics} that one reader per
     * replica fetches for every Trigger on them; it commits nothing, the subscribers' own groups hold the positions.
     * Topics in any order make one group; a name over {@value #MAX_LENGTH} characters is shortened to a digest.
     */
    public static String fanOutGroup(Collection<String> topics) {
        // each topic a part, escaped as any part is: one-to-one, as {a-b, c} and {a, b-c} must not share a group
        String name = FAN_OUT_GROUP + join(new TreeSet<>(topics).toArray(String[]::new));
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return FAN_OUT_GROUP + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The consumer group of a Kafka source's event, unless the event names its own. */
    public static String sourceGroup(String namespace, String eventSource, String event) {
        return checked(SOURCE_GROUP + join(namespace, eventSource, event), "metadata.name");
    }

    /**
     * The lease topic of a cron event: the replica whose group member holds its partition 0 fires the ticks. It has
     * five parts ({@code sluice-cron-{ns}-{es}-{event}}), so it never clashes with an event's three-part topic.
     */
    public static String cronLeaseTopic(String namespace, String eventSource, String event) {
        return checked(CRON_LEASE + join(namespace, eventSource, event), "metadata.name");
    }

    /** The consumer group in which the replicas running a cron event compete for its lease. */
    public static String cronLeaseGroup(String namespace, String eventSource, String event) {
        return checked(CRON_LEASE + join(namespace, eventSource, event), "metadata.name");
    }

    /** The MQTT client id of an MQTT source's event, unless the event names its own; {@code instance} may be empty. */
    public static String mqttClientId(String namespace, String eventSource, String event, Optional<String> instance) {
        List<String> parts = new ArrayList<>(List.of(namespace, eventSource, event));
        instance.ifPresent(parts::add);
        return checked(CLIENT + join(parts.toArray(String[]::new)), "metadata.name");
    }

    /** True for a name that this class makes for consumer groups: no user's own group may take one. */
    public static boolean isSluiceGroup(String group) {
        return group.startsWith(TRIGGER_GROUP) || group.startsWith(SOURCE_GROUP) || group.startsWith(CRON_LEASE)
                || group.startsWith(FAN_OUT_GROUP);
    }

    /**
     * The parts a name was made of, when it is one of this mapping's names; {@link #topic} and {@code parts} are
     * inverse: {@code parts(topic(ns, es, e)) == [ns, es, e]}.
     */
    public static Optional<List<String>> parts(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '-') {
                int run = 1;
                while (i + run < name.length() && name.charAt(i + run) == '-') {
                    run++;
                }
                if (run == 1) {
                    if (part.isEmpty()) {
                        return Optional.empty();
                    }
                    parts.add(part.toString());
                    part.setLength(0);
                } else if (run % 2 == 0 && !part.isEmpty()) {
                    part.append("-".repeat(run / 2));
                } else {
                    return Optional.empty();
                }
                i += run;
            } else if (c == '_') {
                Optional<Integer> end = unescape(name, i, part);
                if (end.isEmpty()) {
                    return Optional.empty();
                }
                i = end.get();
            } else if (isLetterOrDigit(c)) {
                part.append(c);
                i++;
            } else {
                return Optional.empty();
            }
        }
        if (part.isEmpty() || name.endsWith("-")) {
            return Optional.empty();
        }
        parts.add(part.toString());
        // only a name this mapping makes: "_61" reads as "a", but the mapping writes "a"
        return join(parts.toArray(String[]::new)).equals(name) ? Optional.of(parts) : Optional.empty();
    }

    /**
     * The EventSource whose bus topic {@code topic} is: one of this mapping's topics, of an EventSource the catalog
     * knows. Tenancy checks ask it before a resource reads or writes a topic by name.
     */
    public static Optional<ResourceKey> busTopicOwner(String topic, ResourceCatalog catalog) {
        return parts(topic).filter(p -> p.size() == 3)
                .map(p -> new ResourceKey(ResourceKind.EVENT_SOURCE.kind(), p.get(0), p.get(1)))
                .filter(key -> catalog.get(key).isPresent());
    }

    static String join(String... parts) {
        StringBuilder name = new StringBuilder();
        for (String part : parts) {
            if (part == null || part.isEmpty()) {
                return "";
            }
            if (!name.isEmpty()) {
                name.append('-');
            }
            escape(part, name);
        }
        return name.toString();
    }

    private static void escape(String part, StringBuilder out) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b >= 0 && isLetterOrDigit((char) b)) {
                out.append((char) b);
            } else if (b == '-' && i > 0 && i < bytes.length - 1) {
                out.append("--");
            } else {
                out.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
    }

    /** Reads the escaped bytes starting at {@code from} into {@code part}; the index after them, if well formed. */
    private static Optional<Integer> unescape(String name, int from, StringBuilder part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = from;
        while (i < name.length() && name.charAt(i) == '_') {
            if (i + 2 >= name.length()) {
                return Optional.empty();
            }
            int high = HEX_DIGITS.indexOf(name.charAt(i + 1));
            int low = HEX_DIGITS.indexOf(name.charAt(i + 2));
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes.write(high << 4 | low);
            i += 3;
        }
        part.append(bytes.toString(StandardCharsets.UTF_8));
        return Optional.of(i);
    }

    private static boolean isLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static String checked(String name, String field) {
        if (name.isEmpty()) {
            throw new InvalidSpecException(Reasons.NAME_NOT_MAPPABLE, field, "an empty name cannot be mapped to a topic");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidSpecException(Reasons.NAME_NOT_MAPPABLE, field, "the bus name '" + name.substring(0, 40)
                    + "...' would be " + name.length() + " characters; Kafka allows " + MAX_LENGTH
                    + ": shorten the namespace, name or event");
        }
        return name;
    }
}
