package org.aipipeline.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's table of every configuration key (section "Configuration"): one row per key,
 * {@code | `key` | `ENV` | default | meaning |}. Read by the tests that keep it complete and by
 * those that check the deployment manifests only set variables the runner reads.
 */
record ConfigurationTable(Map<String, Row> rows) {

    static final Path README = Path.of("README.md");
    private static final String SECTION = "## Configuration";
    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");

    /** One row: the key, its environment variable, the default and meaning cells as written. */
    record Row(String key, String environment, String defaultCell, String meaning) {}

    static ConfigurationTable fromReadme() {
        List<String> lines;
        try {
            lines = Files.readAllLines(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalStateException("README.md has no '" + SECTION + "' section");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                Row previous = rows.put(
                        row.group(1),
                        new Row(
                                row.group(1),
                                row.group(2),
                                row.group(3).strip(),
                                row.group(4).strip()));
                if (previous != null) {
                    throw new IllegalStateException("README.md lists " + row.group(1) + " twice");
                }
            }
        }
        return new ConfigurationTable(rows);
    }

    /**
     * The variable MicroProfile Config looks up for a key: every character that is not a letter or
     * digit becomes {@code _}, upper case ({@code files.service.tls.cert-path} →
     * {@code FILES_SERVICE_TLS_CERT_PATH}).
     */
    static String environmentVariableOf(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    boolean hasEnvironmentVariable(String name) {
        return rows.values().stream().anyMatch(row -> row.environment().equals(name));
    }
}
