package org.aipipeline.runner.fileservice.boundary;

import io.grpc.ServerCredentials;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileScope;
import org.aipipeline.runner.platform.entity.JdbcDataSources;
import org.flywaydb.core.Flyway;

/**
 * Runs the File Service on its own, without the runner, e.g. for a shared deployment where
 * several runners and the nodes use one File Service.
 *
 * <pre>
 * java -cp 'runner/WEB-INF/classes:runner/WEB-INF/lib/*' \
 *     org.aipipeline.runner.fileservice.boundary.FileServiceMain --port=9090 \
 *     --db-url=jdbc:postgresql://localhost/files --db-user=files --db-password=secret --root=/srv/files
 * </pre>
 *
 * Every option may instead come from the environment: {@code FILES_SERVICE_PORT},
 * {@code FILES_SERVICE_BIND_ADDRESS}, {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD},
 * {@code FILES_ROOT}, {@code FILES_SWEEP_INTERVAL}, {@code FILES_TEMPORARY_LIFETIME},
 * {@code FILES_SHORT_TERM_LIFETIME}, {@code FILES_SERVICE_TOKEN_FILE},
 * {@code FILES_SERVICE_TLS_CERT_PATH}, {@code FILES_SERVICE_TLS_KEY_PATH}; options win. Without a
 * database URL it uses an H2 file database under {@code ./data} (H2 must then be on the class
 * path: the WAR does not bundle it).
 *
 * <p>It listens on loopback unless {@code --bind-address} says otherwise. The token comes from
 * {@code FILES_SERVICE_TOKEN} or a file ({@code --token-file}), never from the command line,
 * where every user of the machine could read it in {@code ps}.
 *
 * <p>On start it applies the runner's Flyway migrations ({@code classpath:db/migration}). Only
 * {@code fileservice_files} is used, but running the same migrations keeps one schema history,
 * so the File Service may share the runner's database or have one of its own.
 */
public final class FileServiceMain {

    private static final System.Logger LOG = System.getLogger(FileServiceMain.class.getName());

    private FileServiceMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options;
        FileServiceServer server;
        try {
            options = options(args);
            server = start(options);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("The File Service cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Duration interval = Duration.parse(option(options, "sweep-interval", "FILES_SWEEP_INTERVAL", "PT10M"));
        ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor();
        sweeps.scheduleWithFixedDelay(
                () -> {
                    try {
                        server.sweep().sweep(Instant.now());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Expiry sweep failed; next one retries", e);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);

        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sweeps.shutdownNow();
                            server.stop(Duration.ofSeconds(10));
                        },
                        "file-service-shutdown"));
        server.awaitTermination();
    }

    /** Migrates the database and starts the server as the options and environment say. */
    static FileServiceServer start(Map<String, String> options) {
        if (options.containsKey("token")) {
            throw new IllegalArgumentException("Pass the token in the environment (FILES_SERVICE_TOKEN) or a file "
                    + "(--token-file, FILES_SERVICE_TOKEN_FILE), not on the command line, where ps shows it");
        }
        // Security settings first: a wrong path should not wait for a database migration.
        Optional<BearerToken> token = BearerToken.configured(
                System.getenv("FILES_SERVICE_TOKEN"), option(options, "token-file", "FILES_SERVICE_TOKEN_FILE", ""));
        ServerCredentials credentials = FileServiceTls.server(
                option(options, "tls-cert-path", "FILES_SERVICE_TLS_CERT_PATH", ""),
                option(options, "tls-key-path", "FILES_SERVICE_TLS_KEY_PATH", ""));
        String dbUrl = option(options, "db-url", "DB_URL", "");
        if (dbUrl.isBlank()) {
            dbUrl = "jdbc:h2:file:" + Path.of("data", "fileservice").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        }
        DataSource dataSource = JdbcDataSources.of(
                dbUrl, option(options, "db-user", "DB_USER", ""), option(options, "db-password", "DB_PASSWORD", ""));
        Flyway.configure(FileServiceMain.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();

        return FileServiceServer.start(FileServiceServer.Settings.of(
                        Integer.parseInt(option(options, "port", "FILES_SERVICE_PORT", "9090")),
                        dataSource,
                        Path.of(option(options, "root", "FILES_ROOT", "data/files")))
                .withBindAddress(
                        option(options, "bind-address", "FILES_SERVICE_BIND_ADDRESS", FileServiceServer.LOOPBACK))
                .withToken(token)
                .withCredentials(credentials)
                .withLifetimes(new FileScope.Lifetimes(
                        Duration.parse(option(options, "temporary-lifetime", "FILES_TEMPORARY_LIFETIME", "P1D")),
                        Duration.parse(option(options, "short-term-lifetime", "FILES_SHORT_TERM_LIFETIME", "P30D")))));
    }

    /** {@code --name=value} pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Options look like --name=value, got " + arg);
            }
            options.put(arg.substring(2, equals).toLowerCase(Locale.ROOT), arg.substring(equals + 1));
        }
        return options;
    }

    private static String option(Map<String, String> options, String name, String environment, String fallback) {
        String value = options.get(name);
        if (value == null) {
            value = System.getenv(environment);
        }
        return value == null ? fallback : value;
    }
}
