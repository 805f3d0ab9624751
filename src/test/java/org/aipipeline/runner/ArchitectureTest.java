package org.aipipeline.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
    private static final Pattern ENTITY = Pattern.compile("^@Entity\\b", Pattern.MULTILINE);
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

        /** Whether the imported class (or the class a nested one sits in) is a JPA entity of ours. */
        boolean importsJpaEntity() {
            if (!name.startsWith(RUNNER) || name.endsWith(".*")) {
                return false;
            }
            List<String> parts = List.of(name.substring(RUNNER.length()).split("\\."));
            for (int i = 1; i <= parts.size(); i++) {
                Path source = SOURCES.resolve(String.join("/", parts.subList(0, i)) + ".java");
                if (Files.isRegularFile(source)) {
                    return ENTITY.matcher(read(source)).find();
                }
            }
            return false;
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
        assertTrue(
                areas.containsAll(Set.of("platform", "users", "auth", "apscheme", "fileservice", "files")),
                "areas found under " + SOURCES.toAbsolutePath() + ": " + areas);
        assertTrue(
                IMPORTS.stream()
                        .anyMatch(i ->
                                i.area().equals("users") && i.importedArea().equals("platform")),
                "the scan recognises imports of runner areas");
    }

    @Test
    void platformImportsNoOtherRunnerArea() {
        assertNone(
                "platform imports another runner area",
                i -> i.area().equals("platform")
                        && i.importsRunnerArea()
                        && !i.importedArea().equals("platform"));
    }

    @Test
    void usersNeverImportFilesResultsPipelinesNodesOrAuth() {
        Set<String> forbidden = Set.of("files", "results", "pipelines", "nodes", "auth");
        assertNone("users imports " + forbidden, i -> i.area().equals("users") && forbidden.contains(i.importedArea()));
    }

    @Test
    void apschemeImportsNoOtherRunnerArea() {
        assertNone(
                "apscheme imports another runner area",
                i -> i.area().equals("apscheme")
                        && i.importsRunnerArea()
                        && !i.importedArea().equals("apscheme"));
    }

    @Test
    void apschemeImportsNoJakartaApiButJsonProcessing() {
        assertNone(
                "apscheme imports jakarta.* other than jakarta.json",
                i -> i.area().equals("apscheme") && i.importsPackage("jakarta") && !i.importsPackage("jakarta.json"));
    }

    /**
     * The File Service also runs on its own ({@code FileServiceMain}, without the container's APIs):
     * of the runner it uses only {@code JdbcDataSources}, which needs nothing but the JDK and the drivers.
     */
    @Test
    void fileserviceImportsNoOtherRunnerArea() {
        assertNone(
                "fileservice imports another runner area",
                i -> i.area().equals("fileservice")
                        && i.importsRunnerArea()
                        && !i.importedArea().equals("fileservice")
                        && !i.name().equals(RUNNER + "platform.entity.JdbcDataSources"));
    }

    /** Messaging is plumbing: it knows no feature (the outbox carries an opaque key, not a pipeline id). */
    @Test
    void messagingImportsNoRunnerAreaButPlatform() {
        assertNone(
                "messaging imports a runner area other than platform",
                i -> i.area().equals("messaging")
                        && i.importsRunnerArea()
                        && !Set.of("messaging", "platform").contains(i.importedArea()));
    }

    @Test
    void messagingNamesNoFeatureEvenWithoutAnImport() {
        Pattern feature = Pattern.compile("org\\.aipipeline\\.runner\\.(?!messaging\\b|platform\\b)[a-z]+\\b");
        Set<String> offending = new TreeSet<>();
        sources()
                .filter(f -> SOURCES.relativize(f).getName(0).toString().equals("messaging"))
                .forEach(f -> {
                    Matcher m = feature.matcher(read(f));
                    while (m.find()) {
                        offending.add(SOURCES.relativize(f) + ": " + m.group());
                    }
                });
        if (!offending.isEmpty()) {
            fail("messaging names a feature package:\n  " + String.join("\n  ", offending));
        }
    }

    /**
     * {@code results} alone writes its tables: {@code pipelines} asks it through {@code results.control},
     * which hands out values ({@code StoredRun}, {@code RunStatus}), never the JPA entities, and never
     * uses the results endpoints' classes.
     */
    @Test
    void pipelinesUseNoResultsEntityNorResultsBoundary() {
        assertNone(
                "pipelines imports a JPA entity of results or results.boundary",
                i -> i.area().equals("pipelines")
                        && (i.importsPackage(RUNNER + "results.boundary")
                                || i.importsPackage(RUNNER + "results.entity") && i.importsJpaEntity()));
    }

    /** The File Service's boundary (its server, its start-up) is its own; the client gets the channel injected. */
    @Test
    void filesImportNothingOfTheFileServiceBoundary() {
        assertNone(
                "files imports fileservice.boundary",
                i -> i.area().equals("files") && i.importsPackage(RUNNER + "fileservice.boundary"));
    }

    /**
     * The planner sees nodes through {@code NodeRegistry} (cached by {@code NodeCatalog}): it never
     * reads the nodes' JPA entities ({@code Node}, {@code NodeProcedure}) nor the nodes endpoints' classes.
     */
    @Test
    void pipelinesReadNodesOnlyThroughTheRegistry() {
        assertNone(
                "pipelines imports a JPA entity of nodes or nodes.boundary",
                i -> i.area().equals("pipelines")
                        && (i.importsPackage(RUNNER + "nodes.boundary")
                                || i.importsPackage(RUNNER + "nodes.entity") && i.importsJpaEntity()));
    }

    @Test
    void theEntityCheckRecognisesAnEntity() {
        assertTrue(new Import("x", "pipelines", RUNNER + "nodes.entity.Node").importsJpaEntity());
        assertTrue(new Import("x", "pipelines", RUNNER + "results.entity.StepResult.Key").importsJpaEntity());
        assertFalse(new Import("x", "pipelines", RUNNER + "results.entity.RunStatus").importsJpaEntity());
    }

    @Test
    void onlyTheFileServiceClientAndTheFileServiceSpeakGrpc() {
        assertNone(
                "gRPC or generated proto code used outside files.control.FileService* and fileservice",
                i -> (i.importsPackage("org.aipipeline.runner.proto") || i.importsPackage("io.grpc"))
                        && !i.area().equals("fileservice")
                        && !i.file().matches("files/control/FileService\\w*\\.java"));
    }

    /**
     * The one WAR runs on Payara Micro, Payara Server and WildFly (server-config/): the code reaches
     * the server only through Jakarta EE and MicroProfile APIs, never a server's own classes.
     */
    @Test
    void noServerSpecificApi() {
        List<String> servers = List.of(
                "org.glassfish",
                "fish.payara",
                "com.sun.enterprise",
                "org.jboss",
                "org.wildfly",
                "io.smallrye",
                "org.eclipse.yasson",
                "org.eclipse.parsson");
        assertNone(
                "imports an application server's own classes " + servers,
                i -> servers.stream().anyMatch(i::importsPackage));
    }

    /**
     * persistence.xml lists the managed classes (WildFly gives the provider a root URL it cannot
     * scan): every entity and converter of the sources must be there, and nothing else.
     */
    @Test
    void persistenceUnitListsEveryEntityAndConverter() {
        Pattern managed = Pattern.compile("^@(Entity|Converter)\\b", Pattern.MULTILINE);
        Set<String> sources = sources()
                .filter(f -> managed.matcher(read(f)).find())
                .map(f -> RUNNER
                        + SOURCES.relativize(f)
                                .toString()
                                .replace('\\', '/')
                                .replace('/', '.')
                                .replaceAll("\\.java$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = Pattern.compile("<class>\\s*([\\w.]+)\\s*</class>")
                .matcher(read(Path.of("src/main/resources/META-INF/persistence.xml")))
                .results()
                .map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(sources.isEmpty(), "no entity found under " + SOURCES);
        assertTrue(sources.equals(listed), "persistence.xml lists " + listed + ", the sources have " + sources);
    }

    private static void assertNone(String rule, Predicate<Import> violation) {
        Set<String> offending =
                IMPORTS.stream().filter(violation).map(Import::toString).collect(Collectors.toCollection(TreeSet::new));
        if (!offending.isEmpty()) {
            fail(rule + ":\n  " + String.join("\n  ", offending));
        }
    }

    private static List<Import> readImports() {
        return sources().flatMap(ArchitectureTest::importsOf).toList();
    }

    private static Stream<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sources under " + SOURCES.toAbsolutePath(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static Stream<Import> importsOf(Path file) {
        Path relative = SOURCES.relativize(file);
        String name = relative.toString().replace('\\', '/');
        String area =
                relative.getNameCount() == 1 ? "(root)" : relative.getName(0).toString();
        return read(file)
                .lines()
                .map(IMPORT::matcher)
                .filter(Matcher::find)
                .map(m -> new Import(name, area, m.group(1)));
    }
}
