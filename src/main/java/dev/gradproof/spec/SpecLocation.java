package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Where a spec is read from, as test code names it: a file path (relative to the working directory), or
 * a classpath resource ({@code classpath:specs/x.yaml}, or a name relative to a class). A path that is
 * not a file is also looked for on the classpath, so {@code "specs/x.yaml"} works both in this
 * repository and from {@code src/test/resources} of another project. Every refusal says what was tried.
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecLocation {
    public static final String CLASSPATH = "classpath:";

    private SpecLocation() {
    }

    /**
     * @param location   a path, or {@code classpath:} and a resource name
     * @param loader     where resources are looked for
     * @throws SpecException naming the file, line and field of a bad spec, or what was tried when none was found
     */
    public static Spec load(String location, ClassLoader loader, SpecLoader specLoader) throws SpecException {
        if (location.startsWith(CLASSPATH)) {
            String resource = location.substring(CLASSPATH.length()).replaceFirst("^/+", "");
            URL url = loader.getResource(resource);
            if (url == null) {
                throw new SpecException(Path.of(location), 0, 0, "", "no such classpath resource (looked for '" + resource
                        + "' with " + describe(loader) + ")");
            }
            return fromUrl(url, location, specLoader);
        }
        Path path = Path.of(location);
        if (Files.exists(path)) {
            return specLoader.load(path);
        }
        URL url = loader.getResource(location.replaceFirst("^/+", ""));
        if (url != null) {
            return fromUrl(url, CLASSPATH + location, specLoader);
        }
        throw new SpecException(path, 0, 0, "", "no such spec: not a file (relative to the working directory "
                + Path.of("").toAbsolutePath() + ") and not a classpath resource (tried classpath:" + location + ")");
    }

    /**
     * The spec files a location names: a file, a folder (searched like the command line's), or the same on
     * the classpath ({@code classpath:specs/}). A classpath folder must be a folder on disk (as
     * {@code target/test-classes} is); one inside a jar is refused with that reason.
     *
     * @throws SpecException when nothing is there, saying what was tried
     */
    public static SpecFiles.Found files(String location, ClassLoader loader) throws SpecException {
        boolean classpath = location.startsWith(CLASSPATH);
        String name = classpath ? location.substring(CLASSPATH.length()).replaceFirst("^/+", "") : location;
        Path path = classpath ? null : Path.of(location);
        if (path == null || !Files.exists(path)) {
            URL url = loader.getResource(name.isEmpty() ? "." : name);
            if (url == null) {
                throw new SpecException(Path.of(location), 0, 0, "", classpath ? "no such classpath resource"
                        : "no such file or folder (relative to the working directory " + Path.of("").toAbsolutePath()
                                + "), and no classpath resource of that name");
            }
            if (!"file".equals(url.getProtocol())) {
                throw new SpecException(Path.of(location), 0, 0, "", "is inside " + url.getProtocol() + " "
                        + url + ": spec folders are read from disk; name the spec files one by one instead");
            }
            try {
                path = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new SpecException(Path.of(location), 0, 0, "", "cannot read " + url);
            }
        }
        try {
            return SpecFiles.expand(java.util.List.of(path));
        } catch (IOException e) {
            throw new SpecException(path, 0, 0, "", "cannot list the folder: " + e.getMessage());
        }
    }

    /** A resource next to a class: {@code load(MyTest.class, "tanh.yaml")} reads it from MyTest's package. */
    public static Spec load(Class<?> anchor, String name, SpecLoader specLoader) throws SpecException {
        URL url = anchor.getResource(name);
        String shown = CLASSPATH + resourceName(anchor, name);
        if (url == null) {
            throw new SpecException(Path.of(shown), 0, 0, "", "no such classpath resource next to " + anchor.getName());
        }
        return fromUrl(url, shown, specLoader);
    }

    private static String resourceName(Class<?> anchor, String name) {
        if (name.startsWith("/")) {
            return name.substring(1);
        }
        String pkg = anchor.getPackageName();
        return pkg.isEmpty() ? name : pkg.replace('.', '/') + "/" + name;
    }

    /**
     * A resource in a folder (target/test-classes) is read as a file, so its csv paths resolve next to it;
     * one inside a jar is read as text, and named by its classpath location.
     */
    private static Spec fromUrl(URL url, String shown, SpecLoader specLoader) throws SpecException {
        if ("file".equals(url.getProtocol())) {
            try {
                return specLoader.load(Path.of(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to reading the stream
            }
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readNBytes(specLoader.limits().maxFileBytes() + 1);
            YamlReader.checkSize(bytes.length, specLoader.limits().maxFileBytes(), Path.of(shown));
            return specLoader.parse(new String(bytes, StandardCharsets.UTF_8), Path.of(shown));
        } catch (IOException e) {
            throw new SpecException(Path.of(shown), 0, 0, "", "cannot read the resource: " + e.getMessage());
        }
    }

    private static String describe(ClassLoader loader) {
        return loader == null ? "the bootstrap class loader" : "the class loader of this test";
    }
}
