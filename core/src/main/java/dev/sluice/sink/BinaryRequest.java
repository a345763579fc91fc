package dev.sluice.sink;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.http.vertx.impl.CloudEventsHeaders;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A CloudEvent in HTTP binary mode as headers and a body, written through the SDK's {@link MessageWriter} with its
 * header names ({@code ce-*}, {@code content-type}), so that the sink's own HTTP client sends it: the SDK's Vert.x
 * writer only speaks to a {@code WebClient}, which can neither cap the answer nor show the connected address.
 */
final class BinaryRequest implements MessageWriter<CloudEventWriter<Buffer>, Buffer>, CloudEventWriter<Buffer> {
    private final MultiMap headers;

    private BinaryRequest(MultiMap headers) {
        this.headers = headers;
    }

    /** Adds the event's attributes to {@code headers} and returns its data as the body. */
    static Buffer write(CloudEvent event, MultiMap headers) {
        return new BinaryRequest(headers).writeBinary(event);
    }

    @Override
    public CloudEventWriter<Buffer> create(SpecVersion version) {
        headers.add(CloudEventsHeaders.SPEC_VERSION, version.toString());
        return this;
    }

    @Override
    public BinaryRequest withContextAttribute(String name, String value) throws CloudEventRWException {
        CharSequence header = CloudEventsHeaders.ATTRIBUTES_TO_HEADERS.get(name);
        headers.add(header == null ? CloudEventsHeaders.CE_PREFIX + name : header, value);
        return this;
    }

    @Override
    public Buffer end(CloudEventData data) throws CloudEventRWException {
        // the event's bytes as they are, not copied: the request only reads them
        return Buffer.buffer(Unpooled.wrappedBuffer(data.toBytes()));
    }

    @Override
    public Buffer end() {
        return Buffer.buffer();
    }

    @Override
    public Buffer setEvent(io.cloudevents.core.format.EventFormat format, byte[] value) {
        throw new UnsupportedOperationException("binary mode only");
    }
}
