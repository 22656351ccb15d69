package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.external.ChildEnvironment;
import dev.gradproof.external.ProcessNetwork;
import dev.gradproof.external.ProcessPool;
import dev.gradproof.compare.GraphUnderTest;
import dev.gradproof.compare.TrialCheck;
import dev.gradproof.network.Mlp;
import dev.gradproof.spec.Spec;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.ZooEntry;
import dev.gradproof.report.Messages;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.spec.ImplementationSpec;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/**
 * Turns what a spec (or {@code --impl}) names into the implementation the engine checks, and closes
 * whatever it started (a child process) when the spec is done.
 */
@API(status = INTERNAL, since = "0.2")
public final class Implementations {
    private Implementations() {
    }

    /**
     * An implementation ready to check, how to release it, and whether it refused the network so far
     * ({@link RefusalWatch}; always empty for the reference and the mutants).
     */
    public record Resolved(SpecChecker.Implementation implementation, AutoCloseable resource, String description,
                           Supplier<Optional<String>> refusal, Supplier<Optional<String>> note) {
        public Resolved(SpecChecker.Implementation implementation, AutoCloseable resource, String description) {
            this(implementation, resource, description, Optional::empty, Optional::empty);
        }

        public static Resolved reference() {
            return new Resolved(SpecChecker.Implementation.REFERENCE, () -> { }, "reference network");
        }

        static Resolved watched(NetworkUnderTest impl, String description) {
            RefusalWatch watch = new RefusalWatch(impl);
            return new Resolved(UnderTest.of(watch), watch, description, watch::refusal, Optional::empty);
        }

        /** A child that refused {@code losses} made the check slow; the user should hear why, once. */
        static Resolved watched(ProcessNetwork child, String description) {
            RefusalWatch watch = new RefusalWatch(child);
            return new Resolved(UnderTest.of(watch), watch, description, watch::refusal,
                    () -> child.asksPointByPoint() ? Optional.of(Messages.slowPath(child.name())) : Optional.empty());
        }
    }

    /** With children run in this process's working directory, in the minimal environment. */
    public static Resolved resolve(ImplementationSpec spec) {
        return resolve(spec, Path.of("").toAbsolutePath(), ChildEnvironment.MINIMAL);
    }

    /**
     * Whether a spec may name it is the caller's question ({@link ProcessPermission}).
     *
     * @param workingDir  where a child runs
     * @param environment what a child sees of this process's environment
     * @throws IllegalArgumentException with a message fit for a spec verdict {@code error}
     */
    public static Resolved resolve(ImplementationSpec spec, Path workingDir, ChildEnvironment environment) {
        return switch (spec.kind()) {
            case "reference" -> Resolved.reference();
            case "process" -> process(spec, workingDir, environment);
            case "java" -> java(spec.target());
            case "mutant" -> mutant(spec.target());
            default -> throw new IllegalArgumentException("unknown implementation kind " + spec.kind());
        };
    }

    private static Resolved process(ImplementationSpec spec, Path workingDir, ChildEnvironment environment) {
        List<String> command = ProcessNetwork.parse(spec.target());
        List<ProcessNetwork> children = new ArrayList<>();
        for (int w = 0; w < spec.workers(); w++) {
            children.add(new ProcessNetwork(command, workingDir, spec.timeout(),
                    // a child that builds itself on first use needs as long to start as the spec allows a request
                    spec.timeout().compareTo(ProcessNetwork.DEFAULT_START_TIMEOUT) > 0 ? spec.timeout()
                            : ProcessNetwork.DEFAULT_START_TIMEOUT, environment));
        }
        if (children.size() == 1) {
            return Resolved.watched(children.get(0), "process '" + spec.target() + "'");
        }
        ProcessPool pool = new ProcessPool(children);
        return Resolved.watched(pool, "process '" + spec.target() + "' (" + children.size() + " workers)");
    }

    /** A class name, or the {@code name()} of a {@link NetworkUnderTest} registered with ServiceLoader. */
    static Resolved java(String name) {
        NetworkUnderTest impl = fromServiceLoader(name);
        if (impl == null) {
            impl = instantiate(name);
        }
        return Resolved.watched(impl, "Java class " + impl.getClass().getName());
    }

    private static NetworkUnderTest fromServiceLoader(String name) {
        List<String> found = new ArrayList<>();
        for (NetworkUnderTest candidate : ServiceLoader.load(NetworkUnderTest.class)) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
            found.add(candidate.name());
        }
        return null;
    }

    /**
     * Loads the class without initialising it, and runs its static initialiser and constructor only
     * once it is known to be a {@link NetworkUnderTest}: a spec's {@code java:} cannot make any other
     * class on the class path run code.
     */
    private static NetworkUnderTest instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("java:" + className + ": no such class on the classpath (give its folder or jar "
                    + "with --classpath), and no NetworkUnderTest registered with ServiceLoader has that name");
        } catch (LinkageError e) {
            throw new IllegalArgumentException("java:" + className + ": the class cannot be loaded: " + e);
        }
        if (!NetworkUnderTest.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("java:" + className + " does not implement " + NetworkUnderTest.class.getName());
        }
        try {
            return (NetworkUnderTest) type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("java:" + className + " needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("java:" + className + ": its constructor threw " + e.getCause());
        } catch (ExceptionInInitializerError e) {
            throw new IllegalArgumentException("java:" + className + ": its static initialiser threw " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("java:" + className + ": cannot be instantiated: " + e);
        }
    }

    private static Resolved mutant(String name) {
        ZooEntry entry = ZooEntry.named(name);
        if (entry.graph() != null) {
            return graphMutant(entry.graph());
        }
        Mutant m = entry.dense();
        SpecChecker.Implementation impl = new SpecChecker.Implementation() {
            @Override
            public TrialCheck.Analytic forNetwork(Spec spec, Mlp mlp) {
                var applicability = m.applies(spec);
                if (!applicability.applicable()) {
                    throw new IllegalArgumentException("mutant " + name + " does not apply to this spec: "
                            + applicability.reason());
                }
                return UnderTest.of(m.implementation(spec)).forNetwork(spec, mlp);
            }

            @Override
            public String graphRefusal() {
                return "mutant " + name + " is a dense-chain bug; the layer-graph zoo's (gradproof mutants list) apply"
                        + " to layer graphs";
            }
        };
        return new Resolved(impl, () -> { }, "mutant " + name);
    }

    private static Resolved graphMutant(GraphMutant m) {
        return new Resolved(new GraphUnderTest("mutant " + m.name(), g -> {
            Applicability a = m.applies(g);
            if (!a.applicable()) {
                throw new IllegalArgumentException("mutant " + m.name() + " does not apply to this spec: " + a.reason());
            }
            return m.implementation();
        }), () -> { }, "mutant " + m.name());
    }
}
