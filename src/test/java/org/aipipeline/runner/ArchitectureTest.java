package org.aipipeline.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which area may depend on which, read from the {@code import} lines of the production sources.
 * An area is a package directly under {@code org.aipipeline.runner}; {@code proto} is generated
 * gRPC code, not an area. Tests are not checked.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/org/aipipeline/runner");
    private static final String RUNNER = "org.aipipeline.runner.";
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");

    /** One import line of one source file. */
    record Import(String file, String area, String name) {

        /** The runner area imported, {@code (root)} for a class of the base package, empty for others. */
        String importedArea() {
            if (!name.startsWith(RUNNER)) {
                return "";
            }
            String first = name.substring(RUNNER.length()).split("\\.")[0];
            return Character.isUpperCase(first.charAt(0)) ? "(root)" : first;
        }

        boolean importsRunnerArea() {
            return !importedArea().isEmpty() && !importedArea().equals("proto");
        }

        boolean importsPackage(String prefix) {
            return name.equals(prefix) || name.startsWith(prefix + ".");
        }

        @Override
        public String toString() {
            return file + ": import " + name;
        }
    }

    private static final List<Import> IMPORTS = readImports();

    @Test
    void theScanSeesTheAreasItGuards() {
        Set<String> areas = IMPORTS.stream().map(Import::area).collect(Collectors.toSet());
        assertTrue(areas.containsAll(Set.of("platform", "users", "auth", "apscheme", "fileservice", "files")),
                "areas found under " + SOURCES.toAbsolutePath() + ": " + areas);
        assertTrue(IMPORTS.stream().anyMatch(i -> i.area().equals("users") && i.importedArea().equals("platform")),
                "the scan recognises imports of runner areas");
    }

    @Test
    void platformImportsNoOtherRunnerArea() {
        assertNone("platform imports another runner area", i -> i.area().equals("platform")
                && i.importsRunnerArea() && !i.importedArea().equals("platform"));
    }

    @Test
    void usersNeverImportFilesResultsPipelinesNodesOrAuth() {
        Set<String> forbidden = Set.of("files", "results", "pipelines", "nodes", "auth");
        assertNone("users imports " + forbidden, i -> i.area().equals("users") && forbidden.contains(i.importedArea()));
    }

    @Test
    void apschemeImportsNoOtherRunnerArea() {
        assertNone("apscheme imports another runner area", i -> i.area().equals("apscheme")
                && i.importsRunnerArea() && !i.importedArea().equals("apscheme"));
    }

    @Test
    void apschemeImportsNoJakartaApiButJsonProcessing() {
        assertNone("apscheme imports jakarta.* other than jakarta.json", i -> i.area().equals("apscheme")
                && i.importsPackage("jakarta") && !i.importsPackage("jakarta.json"));
    }

    @Test
    void fileserviceImportsNoOtherRunnerArea() {
        assertNone("fileservice imports another runner area", i -> i.area().equals("fileservice")
                && i.importsRunnerArea() && !i.importedArea().equals("fileservice"));
    }

    @Test
    void messagingImportsNoRunnerAreaButPlatform() {
        assertNone("messaging imports a runner area other than platform", i -> i.area().equals("messaging")
                && i.importsRunnerArea() && !Set.of("messaging", "platform").contains(i.importedArea()));
    }

    @Test
    void onlyTheFileServiceClientAndTheFileServiceSpeakGrpc() {
        assertNone("gRPC or generated proto code used outside files.control.FileServiceClient and fileservice",
                i -> (i.importsPackage("org.aipipeline.runner.proto") || i.importsPackage("io.grpc"))
                        && !i.area().equals("fileservice")
                        && !i.file().equals("files/control/FileServiceClient.java"));
    }

    /**
     * The one WAR runs on Payara Micro, Payara Server and WildFly (server-config/): the code reaches
     * the server only through Jakarta EE and MicroProfile APIs, never a server's own classes.
     */
    @Test
    void noServerSpecificApi() {
        List<String> servers = List.of("org.glassfish", "fish.payara", "com.sun.enterprise", "org.jboss", "org.wildfly",
                "io.smallrye", "org.eclipse.yasson", "org.eclipse.parsson");
        assertNone("imports an application server's own classes " + servers,
                i -> servers.stream().anyMatch(i::importsPackage));
    }

    private static void assertNone(String rule, Predicate<Import> violation) {
        Set<String> offending = IMPORTS.stream().filter(violation).map(Import::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!offending.isEmpty()) {
            fail(rule + ":\n  " + String.join("\n  ", offending));
        }
    }

    private static List<Import> readImports() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted()
                    .flatMap(ArchitectureTest::importsOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sources under " + SOURCES.toAbsolutePath(), e);
        }
    }

    private static Stream<Import> importsOf(Path file) {
        Path relative = SOURCES.relativize(file);
        String name = relative.toString().replace('\\', '/');
        String area = relative.getNameCount() == 1 ? "(root)" : relative.getName(0).toString();
        try {
            return Files.readAllLines(file).stream()
                    .map(IMPORT::matcher).filter(Matcher::find)
                    .map(m -> new Import(name, area, m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
