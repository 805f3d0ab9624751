package org.aipipeline.runner.messaging;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * Who may connect to the embedded broker. On loopback that is RabbitMQ's own default, guest/guest
 * (RabbitMQ accepts guest only from loopback, too). Bound to any other address the broker can be
 * reached from the network, so guest is not accepted there: one account with a generated password
 * is, which the runner uses itself and nodes read from {@code <data.dir>/embedded-broker/credentials.properties}.
 * The file is written readable by its owner only (0600, like the generated JWT key) and reused
 * across restarts, so configured nodes keep connecting.
 *
 * @param file where the credentials are kept; null for guest
 */
record EmbeddedBrokerCredentials(String username, String password, Path file) {

    static final EmbeddedBrokerCredentials GUEST = new EmbeddedBrokerCredentials("guest", "guest", null);
    static final String GENERATED_USER = "runner";

    private static final System.Logger LOG = System.getLogger(EmbeddedBrokerCredentials.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** 192 bits from SecureRandom, base64url: nothing in it needs escaping in an amqp:// URI. */
    private static final int PASSWORD_BYTES = 24;

    /** The credentials under {@code dataDir}, generated (and stored 0600) on first use. */
    static EmbeddedBrokerCredentials generatedIn(Path dataDir) {
        Path file = dataDir.resolve("embedded-broker")
                .resolve("credentials.properties")
                .toAbsolutePath()
                .normalize();
        try {
            if (!Files.exists(file)) {
                write(file, GENERATED_USER, newPassword());
            } else if (readableByOthers(file)) {
                LOG.log(Level.WARNING, "{0} can be read by other users of this machine: chmod 600 it", file);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the embedded broker's credentials in " + file, e);
        }
    }

    /** The URI the runner connects with: it carries the password, so it is never logged. */
    String uri(String host, int port) {
        return "amqp://" + escaped(username) + ":" + escaped(password) + "@" + host + ":" + port;
    }

    /** The URI with the password replaced by where to find it: what the log tells node operators. */
    String redactedUri(String host, int port) {
        String secret = file == null ? escaped(password) : "<see file " + file + ">";
        return "amqp://" + escaped(username) + ":" + secret + "@" + host + ":" + port;
    }

    /** Records print every component; this one must not print the password. */
    @Override
    public String toString() {
        return "EmbeddedBrokerCredentials[username=" + username + ", file=" + file + "]";
    }

    private static String newPassword() {
        byte[] random = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void write(Path file, String username, String password) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        // Written 0600 from the start and moved into place, so the password is never readable by
        // others, not even for a moment, and a crash leaves no half-written file behind.
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", ownerOnly);
        Properties properties = new Properties();
        properties.setProperty("username", username);
        properties.setProperty("password", password);
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            properties.store(
                    out,
                    "Generated credentials of the runner's embedded AMQP broker (nodes connect with them).\n"
                            + "Keep this file private; delete it (and restart) to generate new ones.");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static EmbeddedBrokerCredentials read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String username = properties.getProperty("username", "").strip();
        String password = properties.getProperty("password", "").strip();
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalStateException(
                    file + " lacks username= or password=; delete it to generate new credentials");
        }
        return new EmbeddedBrokerCredentials(username, password, file);
    }

    private static boolean readableByOthers(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
    }

    private static String escaped(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
