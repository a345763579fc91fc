package dev.sluice.sink;

/**
 * A destination as a resource names it.
 *
 * @param type the {@link SinkType} that serves it, by name, such as {@code uri} or {@code topic}
 * @param address the URI or the topic
 * @param field the path of the field that names it, for errors, e.g. {@code spec.subscribers[0].sink.uri}
 */
public record SinkTarget(String type, String address, String field) {
}
