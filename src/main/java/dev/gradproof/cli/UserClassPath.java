package dev.gradproof.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code --impl java:CLASS} finds a user's classes. {@code java -jar} ignores the class path, so
 * {@code --classpath} (or the {@code CLASSPATH} variable) is read here and loaded with a class loader of
 * its own, below gradproof's: the user's class sees gradproof's API, and Implementations still loads it
 * without initialising it until it is known to be a NetworkUnderTest.
 */
final class UserClassPath {
    private UserClassPath() {
    }

    /**
     * @param entries folders and jars separated by the platform's path separator; {@code DIR/*} means
     *                every jar in DIR, as for {@code java -cp}
     * @param source  how the user gave it ({@code --classpath}, {@code CLASSPATH}), for messages
     * @param strict  whether an entry that does not exist is an error; the CLASSPATH variable is set for
     *                other programs too, so there it is passed over, as java itself does
     * @throws IllegalArgumentException naming an entry that does not exist
     */
    static ClassLoader loader(String entries, String source, boolean strict, ClassLoader parent) {
        List<URL> urls = new ArrayList<>();
        for (String entry : entries.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith("/*") || entry.equals("*")) {
                Path dir = Path.of(entry.length() == 1 ? "." : entry.substring(0, entry.length() - 2));
                if (!Files.isDirectory(dir) && !strict) {
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(source + ": " + dir + ": no such folder");
                }
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    for (Path jar : jars) {
                        urls.add(url(jar));
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException(source + ": " + dir + ": " + e.getMessage());
                }
                continue;
            }
            Path p = Path.of(entry);
            if (!Files.exists(p) && !strict) {
                continue;
            }
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(source + ": " + entry + ": no such file or folder");
            }
            urls.add(url(p));
        }
        return new URLClassLoader("gradproof-user-classes", urls.toArray(URL[]::new), parent);
    }

    private static URL url(Path p) {
        try {
            return p.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(p + ": " + e.getMessage());
        }
    }
}
