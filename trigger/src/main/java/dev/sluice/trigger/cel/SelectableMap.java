package dev.sluice.trigger.cel;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.cel.common.exceptions.CelAttributeNotFoundException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.StructValue;

/**
 * A map variable as the condition reads it: one field at a time. Handed a plain {@link Map}, cel-java's planner
 * runtime walks all of it, nested data included, on every read of the variable before it selects a field
 * ({@code CelValueConverter.toRuntimeValue}), so that an evaluation would cost as much as the event is big. A
 * {@link StructValue} it takes as it is and selects from. Wherever CEL takes the map as a whole
 * ({@code size(event.data)}, {@code 'order' in inputs}) it unwraps it to the plain map, so the condition sees
 * exactly the map it was given: a missing key is an error, {@code has()} tests for the key.
 * <p>
 * The arriving event's map reads its {@code data} for the condition at hand ({@link #event}): only the fields of
 * it that the condition selects.
 */
final class SelectableMap extends StructValue<String, Map<String, ?>> {
    private static final CelType TYPE = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final Map<String, ?> map;
    private final Function<String, ?> lookup;

    SelectableMap(Map<String, ?> map) {
        this(map, map::get);
    }

    private SelectableMap(Map<String, ?> map, Function<String, ?> lookup) {
        this.map = map;
        this.lookup = lookup;
    }

    /**
     * @param dataFields the top-level fields of {@code event.data} the condition selects; null when it reads the
     *        data as a whole
     */
    static SelectableMap event(EventVariables event, Set<String> dataFields) {
        if (dataFields == null) {
            return new SelectableMap(event);
        }
        return new SelectableMap(event, field -> "data".equals(field) ? event.data(dataFields) : event.get(field));
    }

    @Override
    public Object select(String field) {
        Object value = lookup.apply(field);
        if (value == null) {
            // the error CEL raises for a plain map
            throw CelAttributeNotFoundException.forMissingMapKey(field);
        }
        return selectable(value);
    }

    @Override
    public Optional<Object> find(String field) {
        return Optional.ofNullable(lookup.apply(field)).map(SelectableMap::selectable);
    }

    @Override
    public Map<String, ?> value() {
        return map;
    }

    @Override
    public boolean isZeroValue() {
        return map.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @SuppressWarnings("unchecked") // a condition's variables are maps of string keys throughout
    private static Object selectable(Object value) {
        return value instanceof Map<?, ?> nested ? new SelectableMap((Map<String, ?>) nested) : value;
    }
}
