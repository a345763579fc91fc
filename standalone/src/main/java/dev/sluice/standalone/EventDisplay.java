package dev.sluice.standalone;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.cloudevents.CloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A sink for the tour, like Knative's event-display: {@code POST /display} logs and counts each CloudEvent
 * it receives; {@code GET /display} shows the count and the latest events. With tracing on, each event also
 * shows the W3C {@code traceparent} header of the request that brought it, so the trace can be found.
 */
@ApplicationScoped
public class EventDisplay {
    private static final Logger LOG = Logger.getLogger(EventDisplay.class);
    private static final int KEEP = 20;

    @Inject
    ObjectMapper mapper;

    private final AtomicLong received = new AtomicLong();
    private final Deque<Map<String, Object>> latest = new ArrayDeque<>();

    void register(@Observes Router router) {
        router.post("/display").handler(BodyHandler.create(false)).handler(this::receive);
        router.get("/display").handler(this::show);
    }

    private void receive(RoutingContext ctx) {
        CloudEvent event;
        try {
            event = VertxMessageFactory.createReader(ctx.request().headers(), ctx.body().buffer()).toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            ctx.response().setStatusCode(400).end("not a CloudEvent: " + e.getMessage() + "\n");
            return;
        }
        received.incrementAndGet();
        Map<String, Object> view = view(event);
        String traceparent = ctx.request().getHeader("traceparent");
        if (traceparent != null) {
            view.put("requestTraceparent", traceparent);
        }
        synchronized (latest) {
            latest.addFirst(view);
            while (latest.size() > KEEP) {
                latest.removeLast();
            }
        }
        LOG.infof("Event display received %s", view);
        ctx.response().setStatusCode(202).end();
    }

    private void show(RoutingContext ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", received.get());
        synchronized (latest) {
            body.put("latest", new ArrayList<>(latest));
        }
        try {
            ctx.response().putHeader("content-type", "application/json")
                    .end(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static Map<String, Object> view(CloudEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.getId());
        view.put("source", event.getSource().toString());
        view.put("type", event.getType());
        if (event.getSubject() != null) {
            view.put("subject", event.getSubject());
        }
        List<String> names = new ArrayList<>(event.getExtensionNames());
        names.sort(null);
        names.forEach(name -> view.put(name, String.valueOf(event.getExtension(name))));
        String data = new String(CloudEvents.dataBytes(event), StandardCharsets.UTF_8);
        view.put("data", data.length() > 512 ? data.substring(0, 512) + "…" : data);
        return view;
    }
}
