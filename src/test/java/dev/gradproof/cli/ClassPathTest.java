package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.external.JavaTanhNetwork;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --impl java:CLASS with the class in a folder only --classpath names, compiled here as a user would. */
class ClassPathTest {
    @TempDir
    Path tmp;

    private static String home(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Compiles one class {@code mynet.NAME} from its body into tmp/classes; returns that folder. */
    private Path compile(String name, String source) throws IOException, URISyntaxException {
        Path src = tmp.resolve("src/mynet/" + name + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package mynet;\n" + source);
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = String.join(File.pathSeparator, home(NetworkUnderTest.class), home(JavaTanhNetwork.class),
                home(org.apiguardian.api.API.class));
        int status = javac.run(null, null, null, "-classpath", cp, "-d", classes.toString(), src.toString());
        assertEquals(0, status, "javac failed on " + source);
        return classes;
    }

    @Test
    void aUserClassOnTheGivenClassPathIsChecked() throws Exception {
        Path classes = compile("MyNet", "import dev.gradproof.api.*;\n"
                + "public class MyNet implements NetworkUnderTest {\n"
                + "  private final NetworkUnderTest tanh = new dev.gradproof.external.JavaTanhNetwork.Quiet();\n"
                + "  public Evaluation evaluate(NetworkDescription n, Parameters p, Batch b) {\n"
                + "    return tanh.evaluate(n, p, b);\n  }\n}\n");

        Cli.Result without = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", "java:mynet.MyNet");
        assertEquals(1, without.exit(), without.all());
        assertEquals("  error: java:mynet.MyNet: no such class on the classpath (give its folder or jar with"
                + " --classpath), and no NetworkUnderTest registered with ServiceLoader has that name", without.outLines().get(2));

        Cli.Result with = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", "java:mynet.MyNet",
                "--classpath", tmp.resolve("nowhere") + File.pathSeparator + classes);
        assertEquals(2, with.exit(), with.all());
        assertEquals("gradproof check: --classpath: " + tmp.resolve("nowhere") + ": no such file or folder",
                with.err().strip());

        with = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", "java:mynet.MyNet",
                "--classpath", classes.toString());
        assertEquals(0, with.exit(), with.all());
        assertTrue(with.outLines().get(1).startsWith("ok    tanh-tutorial-fixed: pass (expected pass)"), with.out());
    }

    @Test
    void aFolderOfJarsIsNamedWithAStar() throws Exception {
        Path classes = compile("JarNet", "import dev.gradproof.api.*;\n"
                + "public class JarNet implements NetworkUnderTest {\n"
                + "  public Evaluation evaluate(NetworkDescription n, Parameters p, Batch b) {\n"
                + "    throw new UnsupportedOperationException(\"loaded from a jar\");\n  }\n}\n");
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(lib.resolve("mynet.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("mynet/JarNet.class"));
            jar.write(Files.readAllBytes(classes.resolve("mynet/JarNet.class")));
            jar.closeEntry();
        }

        Cli.Result r = Cli.run("check", "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", "java:mynet.JarNet",
                "--classpath", lib + "/*");
        assertEquals(1, r.exit(), r.all());
        assertEquals("  error: JarNet threw UnsupportedOperationException: loaded from a jar", r.outLines().get(2));

        r = Cli.run("check", "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", "java:mynet.JarNet",
                "--classpath", tmp.resolve("nolib") + "/*");
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: --classpath: " + tmp.resolve("nolib") + ": no such folder", r.err().strip());
    }

    @Test
    void aClassThatIsNotANetworkIsNeverInitialised() throws Exception {
        Path marker = tmp.resolve("initialised");
        Path classes = compile("Evil", "public class Evil {\n  static {\n    try { java.nio.file.Files.writeString("
                + "java.nio.file.Path.of(\"" + marker.toString().replace("\\", "\\\\") + "\"), \"ran\"); }\n"
                + "    catch (java.io.IOException e) { throw new RuntimeException(e); }\n  }\n}\n");

        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", "java:mynet.Evil",
                "--classpath", classes.toString());
        assertEquals(1, r.exit(), r.all());
        assertEquals("  error: java:mynet.Evil does not implement dev.gradproof.api.NetworkUnderTest",
                r.outLines().get(2));
        assertFalse(Files.exists(marker), "the static initialiser ran");
    }

    @Test
    void theClassPathVariableSkipsWhatIsNotThereAsJavaDoes() throws Exception {
        Path classes = compile("Found", "public class Found {}\n");
        String entries = tmp.resolve("gone") + File.pathSeparator + tmp.resolve("gone-too") + "/*" + File.pathSeparator
                + classes;
        ClassLoader loader = UserClassPath.loader(entries, "CLASSPATH", false, getClass().getClassLoader());
        assertEquals("mynet.Found", Class.forName("mynet.Found", false, loader).getName());
        IllegalArgumentException strict = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UserClassPath.loader(entries, "--classpath", true, getClass().getClassLoader()));
        assertEquals("--classpath: " + tmp.resolve("gone") + ": no such file or folder", strict.getMessage());
    }
}
