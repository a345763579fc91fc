package dev.sluice.trigger;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.trigger.Subscriber;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.bus.BusNames;
import dev.sluice.resources.ResourceCatalog;

/**
 * Keeps a Trigger to its own namespace. It reads the EventSources of its namespace, and another namespace's only
 * where that EventSource lists the Trigger's namespace (or {@code "*"}) in {@code spec.allowedNamespaces}; its
 * {@code topic}, {@code deadLetterTopic} and {@code replyTopic} may not name another namespace's bus topics.
 * Checked at every reconcile, so a source that stops allowing a namespace stops its Triggers.
 */
@ApplicationScoped
public class TriggerTenancy {

    @Inject
    ResourceCatalog catalog;

    /**
     * @throws InvalidSpecException {@code NamespaceNotAllowed} naming {@code spec.inputs.<name>.namespace},
     *         {@code TopicNotAllowed} naming the subscriber's topic field
     */
    void check(Trigger trigger) {
        String own = trigger.getMetadata().getNamespace();
        trigger.getSpec().getInputs().forEach((name, input) -> {
            if (input == null || input.getNamespace() == null || input.getNamespace().isBlank()
                    || input.getNamespace().equals(own)) {
                return;
            }
            String field = "spec.inputs." + name + ".namespace";
            Optional<EventSource> source = catalog.find(EventSource.class, input.getNamespace(), input.getEventSource());
            if (source.isEmpty() || source.get().getSpec() == null
                    || !source.get().getSpec().allowsReadersFrom(own, input.getNamespace())) {
                throw new InvalidSpecException(Reasons.NAMESPACE_NOT_ALLOWED, field, "EventSource '"
                        + input.getEventSource() + "' in namespace '" + input.getNamespace() + "' "
                        + (source.isEmpty() ? "does not exist" : "does not list '" + own + "' in spec.allowedNamespaces"));
            }
        });
        List<Subscriber> subscribers = trigger.getSpec().getSubscribers();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            if (subscriber == null) {
                continue;
            }
            String field = "spec.subscribers[" + i + "].";
            checkTopic(subscriber.getTopic(), own, field + "topic");
            checkTopic(subscriber.getDeadLetterTopic(), own, field + "deadLetterTopic");
            checkTopic(subscriber.getReplyTopic(), own, field + "replyTopic");
        }
    }

    private void checkTopic(String topic, String own, String field) {
        if (topic == null || topic.isBlank()) {
            return;
        }
        Optional<ResourceKey> owner = BusNames.busTopicOwner(topic.trim(), catalog);
        if (owner.isPresent() && !owner.get().namespace().equals(own)) {
            throw new InvalidSpecException(Reasons.TOPIC_NOT_ALLOWED, field, "'" + topic + "' is a bus topic of EventSource '"
                    + owner.get().name() + "' in namespace '" + owner.get().namespace() + "'; a Trigger writes only to its own namespace's");
        }
    }
}
