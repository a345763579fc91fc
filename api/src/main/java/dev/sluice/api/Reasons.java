package dev.sluice.api;

/**
 * Every {@code reason} a Sluice condition can carry, CamelCase as Kubernetes conditions want. A reason
 * names what happened; the message says which field and why.
 */
public final class Reasons {
    public static final String AUTH_INVALID = "AuthInvalid";
    public static final String BINDING_AMBIGUOUS = "BindingAmbiguous";
    public static final String BINDING_MISSING = "BindingMissing";
    public static final String BROKERS_MISSING = "BrokersMissing";
    public static final String BROKER_UNREACHABLE = "BrokerUnreachable";
    public static final String BUS_NOT_FOUND = "BusNotFound";
    public static final String BUS_UNREACHABLE = "BusUnreachable";
    public static final String CALLBACK_UNAVAILABLE = "CallbackUnavailable";
    public static final String COMPILED = "Compiled";
    public static final String CONDITION_INVALID = "ConditionInvalid";
    public static final String CONNECTED = "Connected";
    public static final String CONNECTING = "Connecting";
    public static final String CONSUMER_FAILING = "ConsumerFailing";
    public static final String CREDENTIALS_MISSING = "CredentialsMissing";
    public static final String DESTINATION_MISSING = "DestinationMissing";
    public static final String FILTER_INVALID = "FilterInvalid";
    public static final String GROUP_NOT_ALLOWED = "GroupNotAllowed";
    public static final String INPUTS_MISSING = "InputsMissing";
    public static final String INPUT_INVALID = "InputInvalid";
    public static final String INTERRUPTED = "Interrupted";
    public static final String INVALID_DELIVERY = "InvalidDelivery";
    public static final String INVALID_DURATION = "InvalidDuration";
    public static final String INVALID_LIMIT = "InvalidLimit";
    public static final String INVALID_OFFSET = "InvalidOffset";
    public static final String INVALID_PROTOCOL_VERSION = "InvalidProtocolVersion";
    public static final String INVALID_LOG_LEVEL = "InvalidLogLevel";
    public static final String INVALID_QOS = "InvalidQos";
    public static final String INVALID_SCHEDULE = "InvalidSchedule";
    public static final String INVALID_TOPIC = "InvalidTopic";
    public static final String INVALID_URL = "InvalidUrl";
    public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";
    public static final String NAME_NOT_MAPPABLE = "NameNotMappable";
    /** OpenFunction's {@code natsStreaming} bus: NATS Streaming (STAN) is end-of-life; the message names the migration. */
    public static final String NATS_STREAMING_RETIRED = "NatsStreamingRetired";
    public static final String NOT_RUNNING = "NotRunning";
    public static final String OPENED = "Opened";
    public static final String PUBSUB_NAME_MISSING = "PubsubNameMissing";
    public static final String REACHABLE = "Reachable";
    public static final String READY = "Ready";
    public static final String RECONCILE_FAILED = "ReconcileFailed";
    public static final String RESOLVED = "Resolved";
    public static final String RUNNING = "Running";
    public static final String SECRET_AMBIGUOUS = "SecretAmbiguous";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String SIDECAR_UNAVAILABLE = "SidecarUnavailable";
    /** A sink's address falls in a range that the SSRF policy ({@code sluice.egress.deny}) refuses. */
    public static final String SINK_NOT_ALLOWED = "SinkNotAllowed";
    public static final String SINK_NOT_RESOLVED = "SinkNotResolved";
    public static final String SOURCE_FAILED = "SourceFailed";
    public static final String SPEC_MISSING = "SpecMissing";
    public static final String SPEC_NOT_PARSED = "SpecNotParsed";
    public static final String SUBSCRIBED = "Subscribed";
    public static final String SUBSCRIBERS_MISSING = "SubscribersMissing";
    public static final String SUBSCRIBER_INVALID = "SubscriberInvalid";
    public static final String SUBSCRIBE_REFUSED = "SubscribeRefused";
    public static final String SUBSCRIBING = "Subscribing";
    public static final String TLS_INCOMPLETE = "TlsIncomplete";
    public static final String TLS_INVALID = "TlsInvalid";
    public static final String TLS_NOT_ENABLED = "TlsNotEnabled";
    public static final String TOPICS_NOT_CREATED = "TopicsNotCreated";
    public static final String TOPICS_NOT_READY = "TopicsNotReady";
    public static final String TOPICS_READY = "TopicsReady";
    public static final String TOPIC_MISSING = "TopicMissing";
    public static final String TOPIC_NOT_ALLOWED = "TopicNotAllowed";
    public static final String UNKNOWN_BINDING = "UnknownBinding";
    public static final String UNKNOWN_SOURCE_TYPE = "UnknownSourceType";
    public static final String URL_MISSING = "UrlMissing";

    private Reasons() {
    }
}
