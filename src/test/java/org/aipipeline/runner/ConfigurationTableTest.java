package org.aipipeline.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's one table of configuration keys complete and right: every key the runner
 * reads (an {@code @ConfigProperty}, a {@code getValue}/{@code getOptionalValue} of the
 * MicroProfile Config API, a {@code setting(...)} read before Config is up, or a line of
 * {@code microprofile-config.properties}) has a row, with the environment variable MicroProfile
 * Config maps it from and the default the runner really uses.
 */
class ConfigurationTableTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PROPERTIES = Path.of("src/main/resources/META-INF/microprofile-config.properties");
    private static final Pattern ANNOTATED = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"(?:\\s*,\\s*defaultValue\\s*=\\s*\"([^\"]*)\")?");
    private static final Pattern LOOKED_UP =
            Pattern.compile("\\b(?:getValue|getOptionalValue|getConfigValue|setting)\\(\\s*\"([a-z][a-z0-9.-]*)\"");

    private static final ConfigurationTable TABLE = ConfigurationTable.fromReadme();

    /** Every key read in src/main, with the default the runner uses (null: none found in the sources). */
    private static final Map<String, String> READ = readKeys();

    @Test
    void theScanSeesKeysOfEveryKind() {
        // One of each way a key is read, so a broken pattern cannot pass by finding nothing.
        assertTrue(READ.containsKey("pipelines.max-steps"), "an @ConfigProperty");
        assertTrue(READ.containsKey("messaging.batch.size"), "a getOptionalValue");
        assertTrue(READ.containsKey("jwt.private-key.path"), "a properties line and a setting(...)");
        assertTrue(READ.containsKey("webhooks.timeout"), "an @ConfigProperty default only");
        assertTrue(READ.size() > 60, "keys found: " + READ.size());
    }

    @Test
    void everyKeyTheRunnerReadsHasARow() {
        List<String> missing = READ.keySet().stream()
                .filter(key -> !TABLE.rows().containsKey(key))
                .toList();
        assertEquals(
                List.of(),
                missing,
                "keys read in src/main but missing from README.md's table under '## Configuration'");
    }

    @Test
    void everyRowNamesAKeyTheRunnerReads() {
        // mp.* keys are read by the server's MicroProfile implementations, not by our sources.
        List<String> stale = TABLE.rows().keySet().stream()
                .filter(key -> !READ.containsKey(key) && !key.startsWith("mp."))
                .toList();
        assertEquals(List.of(), stale, "rows of README.md's configuration table that no code reads");
    }

    @Test
    void everyRowNamesTheEnvironmentVariableMicroProfileConfigMapsFrom() {
        Map<String, String> wrong = TABLE.rows().values().stream()
                .filter(row -> !row.environment().equals(ConfigurationTable.environmentVariableOf(row.key())))
                .collect(Collectors.toMap(
                        ConfigurationTable.Row::key, ConfigurationTable.Row::environment, (a, b) -> a, TreeMap::new));
        assertEquals(Map.of(), wrong);
    }

    @Test
    void everyRowStatesTheDefaultTheRunnerUses() {
        Map<String, String> wrong = new TreeMap<>();
        READ.forEach((key, value) -> {
            ConfigurationTable.Row row = TABLE.rows().get(key);
            if (row == null || value == null) {
                return;
            }
            boolean stated = value.isEmpty()
                    ? row.defaultCell().startsWith("empty")
                    : row.defaultCell().contains("`" + value + "`");
            if (!stated) {
                wrong.put(key, "code says '" + value + "', README says '" + row.defaultCell() + "'");
            }
        });
        assertEquals(Map.of(), wrong);
    }

    @Test
    void everyRowSaysWhatTheKeyMeans() {
        List<String> unexplained = TABLE.rows().values().stream()
                .filter(row -> row.meaning().isBlank())
                .map(ConfigurationTable.Row::key)
                .toList();
        assertEquals(List.of(), unexplained);
    }

    /** Keys of the properties file (their values are the defaults), then those of the sources. */
    private static Map<String, String> readKeys() {
        Map<String, String> keys = new TreeMap<>();
        Properties defaults = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            defaults.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        defaults.stringPropertyNames()
                .forEach(key -> keys.put(key, defaults.getProperty(key).strip()));
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher annotated = ANNOTATED.matcher(source);
                while (annotated.find()) {
                    if (keys.get(annotated.group(1)) == null) { // the properties file wins over defaultValue
                        keys.put(annotated.group(1), annotated.group(2));
                    }
                }
                Matcher lookedUp = LOOKED_UP.matcher(source);
                while (lookedUp.find()) {
                    keys.putIfAbsent(lookedUp.group(1), null);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }
}
