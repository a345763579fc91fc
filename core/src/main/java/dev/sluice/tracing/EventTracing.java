package dev.sluice.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.sluice.cloudevents.BinaryEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * OpenTelemetry spans for events, joined through the CloudEvents distributed tracing extension: an event carries
 * the context it was ingested in as its {@code traceparent} and {@code tracestate} extensions (W3C Trace Context),
 * so that whoever reads it from the bus continues the same trace.
 * <p>
 * Off unless {@code quarkus.otel.sdk.disabled=false}. Off, every method returns at once and allocates nothing, so
 * callers build span names only inside {@code if (tracing.enabled())}.
 */
@Singleton
public class EventTracing {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The instrumentation scope of Sluice's own spans. */
    public static final String SCOPE = "dev.sluice";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<CloudEvent> EXTENSIONS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CloudEvent event) {
            return event.getExtensionNames();
        }

        @Override
        public String get(CloudEvent event, String key) {
            Object value = event == null ? null : event.getExtension(key);
            return value == null ? null : value.toString();
        }
    };

    // Quarkus owns this switch; reading it here keeps "one property turns tracing on" true for Sluice's spans too
    @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
    boolean sdkDisabled;

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    private Tracer tracer;

    EventTracing() {
    }

    private EventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Tracing switched off, for code built outside CDI such as unit tests. */
    public static EventTracing off() {
        return new EventTracing(null);
    }

    /** Tracing through the given SDK, for code built outside CDI such as unit tests. */
    public static EventTracing with(OpenTelemetry sdk) {
        return new EventTracing(sdk.getTracer(SCOPE));
    }

    @PostConstruct
    void init() {
        if (!sdkDisabled) {
            tracer = openTelemetry.get().getTracer(SCOPE);
        }
    }

    /** True when spans are recorded; callers skip building names and attributes otherwise. */
    public boolean enabled() {
        return tracer != null;
    }

    /**
     * Starts a span.
     *
     * @param parent its parent; the current context when null
     * @return the span, or the invalid span (which records nothing) when tracing is off
     */
    public Span start(String name, SpanKind kind, Context parent) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent == null ? Context.current() : parent)
                .startSpan();
    }

    /** The current context, to carry across a thread hop; null when tracing is off. */
    public Context current() {
        return tracer == null ? null : Context.current();
    }

    /** Makes {@code context} current until the scope closes; does nothing for null. */
    public static Scope enter(Context context) {
        return context == null ? Scope.noop() : context.makeCurrent();
    }

    /**
     * The context an event carries in its {@code traceparent} and {@code tracestate} extensions; the root context
     * (a new trace) when it carries none or tracing is off.
     */
    public Context contextOf(CloudEvent event) {
        if (tracer == null || event.getExtension(TRACEPARENT) == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), event, EXTENSIONS);
    }

    /**
     * The event with {@code context} written into its {@code traceparent} and {@code tracestate} extensions. An
     * event that already carries a {@code traceparent} keeps it: the extension names where the event began, and
     * intermediaries do not rewrite it.
     */
    public CloudEvent withContext(CloudEvent event, Context context) {
        if (tracer == null || event.getExtension(TRACEPARENT) != null) {
            return event;
        }
        if (event instanceof BinaryEvent binary) {
            Map<String, String> extensions = new LinkedHashMap<>(4);
            W3C.inject(context, extensions, Map::put);
            return binary.withExtensions(extensions);
        }
        CloudEventBuilder builder = CloudEventBuilder.from(event);
        W3C.inject(context, builder, (target, key, value) -> target.withExtension(key, value));
        return builder.build();
    }

    /** Writes {@code context} as W3C {@code traceparent} and {@code tracestate} headers of an outgoing request. */
    public void inject(Context context, BiConsumer<String, String> headers) {
        if (tracer != null) {
            W3C.inject(context, headers, BiConsumer::accept);
        }
    }

    /** Ends {@code span} once {@code stage} completes, marking it failed when the stage failed. */
    public static <T> CompletionStage<T> endWhenDone(Span span, CompletionStage<T> stage) {
        if (!span.getSpanContext().isValid()) {
            return stage;
        }
        return stage.whenComplete((value, error) -> {
            if (error != null) {
                span.recordException(error);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }
}
