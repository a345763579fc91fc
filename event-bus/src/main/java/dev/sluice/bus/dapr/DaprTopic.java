package dev.sluice.bus.dapr;

/** A topic of a Dapr pub/sub component: what the sidecar subscribes to on the app's behalf. */
record DaprTopic(String pubsubName, String topic) {

    @Override
    public String toString() {
        return pubsubName + "/" + topic;
    }
}
