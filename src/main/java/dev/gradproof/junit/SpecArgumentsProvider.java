package dev.gradproof.junit;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;
import dev.gradproof.spec.SpecLocation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;

/** Behind {@link SpecSource}: the specs it names, loaded, each a named argument. */
final class SpecArgumentsProvider implements ArgumentsProvider, AnnotationConsumer<SpecSource> {
    private String[] locations = new String[0];

    @Override
    public void accept(SpecSource source) {
        locations = source.value();
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        if (locations.length == 0) {
            throw new IllegalArgumentException("@SpecSource names no spec file or folder");
        }
        List<Arguments> out = new ArrayList<>();
        SpecLoader loader = new SpecLoader();
        for (String location : locations) {
            SpecFiles.Found found;
            try {
                found = SpecLocation.files(location, Specs.classLoader());
            } catch (SpecException e) {
                throw new IllegalArgumentException("@SpecSource(\"" + location + "\"): " + e.getMessage(), e);
            }
            if (found.files().isEmpty()) {
                throw new IllegalArgumentException("@SpecSource(\"" + location + "\"): no spec files (*.yaml, *.yml) there");
            }
            for (Path f : found.files()) {
                out.add(Arguments.of(Named.of(SpecLoader.declared(f).name(), load(loader, f))));
            }
            for (String skipped : found.skipped()) {
                out.add(Arguments.of(Named.of("skipped " + skipped, UnloadableSpec.skipped(skipped))));
            }
        }
        return out.stream();
    }

    private static GradientSpec load(SpecLoader loader, Path file) {
        try {
            return loader.load(file);
        } catch (SpecException e) {
            return UnloadableSpec.of(file, e.getMessage());
        }
    }
}
