package dev.sluice.trigger.cel;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;

/**
 * A subscriber's {@code condition}, compiled once. Variables: each input name as a {@code bool} (an event of
 * that input is held in the correlation window), {@code event} (the arriving event, see {@link EventVariables})
 * and {@code inputs} (input name → the latest held event of that input). An empty condition matches any event.
 * A compiled condition is immutable and may be evaluated from any thread.
 * <p>
 * A condition reads no more of the event than it names: one on inputs only ({@code order}) or on attributes
 * ({@code event.type}) never parses the data; one that selects fields of it ({@code event.data.amount > 100}) has
 * only those top-level fields read out of the JSON, which compiling works out; only one that takes
 * {@code event.data} as a whole ({@code size(event.data)}, {@code event.data[k]}) has all of it parsed.
 */
public final class TriggerCondition {
    public static final String EVENT = "event";
    public static final String INPUTS = "inputs";
    /** Names an input cannot have, because a condition's own variables have them. */
    public static final Set<String> RESERVED = Set.of(EVENT, INPUTS);

    /** The default of {@code sluice.trigger.cel.max-iterations}. */
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;
    private static final CelCompiler BASE = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(options(DEFAULT_MAX_ITERATIONS))
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(EVENT, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(INPUTS, MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.DYN)))
            .setResultType(SimpleType.BOOL)
            .build();
    /**
     * The planner runtime resolves names, overloads and field paths once, when the program is made; the legacy
     * runtime looks them up in the AST's maps and through streams on every evaluation, and allocates as it goes.
     * One runtime per iteration budget, as the budget is a runtime option (in a service, one: the configured one).
     */
    private static final Map<Integer, CelRuntime> RUNTIMES = new ConcurrentHashMap<>();

    private final String expression;
    private final Optional<CelRuntime.Program> program;
    /** The top-level fields of {@code event.data} the condition selects; null when it reads the data as a whole. */
    private final Set<String> dataFields;

    private TriggerCondition(String expression, Optional<CelRuntime.Program> program, Set<String> dataFields) {
        this.expression = expression;
        this.program = program;
        this.dataFields = dataFields;
    }

    /** As {@link #compile(String, Collection, String, int)} with the default budget. */
    public static TriggerCondition compile(String expression, Collection<String> inputNames, String field) {
        return compile(expression, inputNames, field, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * @param inputNames the Trigger's input names, declared as {@code bool} variables
     * @param field the condition's path, for errors, e.g. {@code spec.subscribers[0].condition}
     * @param maxIterations {@code sluice.trigger.cel.max-iterations}: the comprehension iterations one evaluation
     *        may run, nested comprehensions counted together (cel-java's planner keeps one count per evaluation)
     * @throws InvalidSpecException {@code ConditionInvalid} with CEL's message when it does not compile to a bool
     */
    public static TriggerCondition compile(String expression, Collection<String> inputNames, String field,
            int maxIterations) {
        if (expression == null || expression.isBlank()) {
            return new TriggerCondition("", Optional.empty(), Set.of());
        }
        CelCompilerBuilder builder = BASE.toCompilerBuilder();
        inputNames.forEach(name -> builder.addVar(name, SimpleType.BOOL));
        CelValidationResult result = builder.build().compile(expression);
        try {
            CelRuntime runtime = RUNTIMES.computeIfAbsent(maxIterations, TriggerCondition::runtime);
            CelAbstractSyntaxTree ast = result.getAst();
            return new TriggerCondition(expression, Optional.of(runtime.createProgram(ast)), dataFieldsOf(ast));
        } catch (CelValidationException e) {
            throw new InvalidSpecException(Reasons.CONDITION_INVALID, field, "does not compile: " + oneLine(result.getErrorString()));
        } catch (CelEvaluationException e) {
            throw new InvalidSpecException(Reasons.CONDITION_INVALID, field, "cannot run: " + oneLine(e.getMessage()));
        }
    }

    /**
     * @param heldInputs the inputs that have an event in the correlation window (the arriving one's included)
     * @param event the arriving event's variables
     * @param inputs the latest held event of each input; built only if the condition reads {@code inputs}
     * @throws CelEvaluationException when the condition fails on this event (a missing key, a wrong type)
     */
    public boolean test(Set<String> heldInputs, Map<String, Object> event,
            Supplier<Map<String, Map<String, Object>>> inputs) throws CelEvaluationException {
        if (program.isEmpty()) {
            return true;
        }
        Object value = program.get().eval(name -> {
            if (EVENT.equals(name)) {
                return Optional.of(event instanceof EventVariables variables
                        ? SelectableMap.event(variables, dataFields) : new SelectableMap(event));
            }
            if (INPUTS.equals(name)) {
                return Optional.of(new SelectableMap(inputs.get()));
            }
            return Optional.of(heldInputs.contains(name));
        });
        if (value instanceof Boolean matched) {
            return matched;
        }
        throw new CelEvaluationException("the condition gave " + value + ", not a bool");
    }

    public String expression() {
        return expression;
    }

    /** The top-level fields of {@code event.data} the condition selects; null when it reads the data as a whole. */
    Set<String> dataFields() {
        return dataFields;
    }

    /**
     * The fields {@code f} of every {@code event.data.f} in the condition, or null when {@code event.data} (or
     * {@code event}) appears other than with a field selected from it. A name that a macro's loop variable
     * shadows at most costs the whole parse, never a field left out.
     */
    private static Set<String> dataFieldsOf(CelAbstractSyntaxTree ast) {
        Set<String> fields = new HashSet<>();
        Iterator<CelNavigableExpr> nodes = CelNavigableAst.fromAst(ast).getRoot().allNodes().iterator();
        while (nodes.hasNext()) {
            CelNavigableExpr node = nodes.next();
            if (node.getKind() != CelExpr.ExprKind.Kind.IDENT || !EVENT.equals(node.expr().ident().name())) {
                continue;
            }
            Optional<CelNavigableExpr> attribute = node.parent().filter(TriggerCondition::isSelect);
            if (attribute.isEmpty()) {
                return null; // the event as a whole
            }
            if (!"data".equals(attribute.get().expr().select().field())) {
                continue;
            }
            Optional<CelNavigableExpr> field = attribute.get().parent().filter(TriggerCondition::isSelect);
            if (field.isEmpty() || attribute.get().expr().select().testOnly()) {
                return null; // the data as a whole
            }
            fields.add(field.get().expr().select().field());
        }
        return Set.copyOf(fields);
    }

    private static boolean isSelect(CelNavigableExpr node) {
        return node.getKind() == CelExpr.ExprKind.Kind.SELECT;
    }

    /**
     * Mixed int/double comparisons ({@code event.data.amount > 100} whatever JSON number amount is); a bound on
     * macro loops, so that one condition cannot stall a trigger on a huge list.
     */
    private static CelOptions options(int maxIterations) {
        return CelOptions.current().enableHeterogeneousNumericComparisons(true)
                .comprehensionMaxIterations(maxIterations).build();
    }

    private static CelRuntime runtime(int maxIterations) {
        return CelRuntimeFactory.plannerRuntimeBuilder().setOptions(options(maxIterations)).build();
    }

    /** CEL's messages point at the column on lines of their own, starting with '|'; a status shows one line. */
    private static String oneLine(String message) {
        return message == null ? "" : message.lines().map(String::trim).filter(line -> !line.startsWith("|"))
                .reduce((a, b) -> a + "; " + b).orElse("");
    }
}
