package org.aipipeline.runner.fileservice.boundary;

import static org.aipipeline.runner.fileservice.RunningFileService.listOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aipipeline.runner.fileservice.SelfSignedCertificate;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone File Service as a user starts it, in a JVM of its own: the token comes from its
 * environment (or a file), never from the command line, and it listens on loopback.
 */
class FileServiceMainTest {

    private static final Pattern LISTENING = Pattern.compile("File Service listening on ([^ ]+):(\\d+) \\(([^)]*)\\)");

    @TempDir
    Path dir;

    private Process start(Map<String, String> environment, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.aipipeline.runner.fileservice.boundary.FileServiceMain",
                "--port=0",
                "--root=" + dir.resolve("files"),
                "--db-url=jdbc:h2:mem:main-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("FILES_") || key.startsWith("DB_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Reads the output until the line saying where it listens, or the end (then fails with the output). */
    private static Matcher listening(Process process) throws Exception {
        CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() -> {
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append(e);
            }
            throw new AssertionError("the File Service ended without listening:\n" + output);
        });
        return found.get(2, TimeUnit.MINUTES);
    }

    private static String exitOutput(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(1, process.exitValue(), output);
        return output;
    }

    @Test
    void theTokenFromTheEnvironmentIsRequiredOnLoopback() throws Exception {
        Process process = start(Map.of("FILES_SERVICE_TOKEN", "standalone-token"));
        try {
            Matcher where = listening(process);
            assertEquals("127.0.0.1", where.group(1));
            assertEquals("plaintext, token required", where.group(3));
            FileServiceChannel to = FileServiceChannel.plaintext("127.0.0.1:" + where.group(2));

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> listOnce(to));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
            assertEquals(0, listOnce(to.withToken(BearerToken.configured("standalone-token", null))));
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTokenFileAndTlsFromOptionsWork() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "standalone");
        Path token = Files.writeString(dir.resolve("token"), "token-in-a-file\n");
        Process process = start(
                Map.of("FILES_SERVICE_TLS_KEY_PATH", certificate.privateKey().toString()),
                "--token-file=" + token,
                "--tls-cert-path=" + certificate.certificate());
        try {
            Matcher where = listening(process);
            assertEquals("TLS, token required", where.group(3));
            assertEquals(
                    0,
                    listOnce(FileServiceChannel.plaintext("localhost:" + where.group(2))
                            .withCredentials(
                                    FileServiceTls.client(
                                            certificate.certificate().toString()),
                                    null)
                            .withToken(BearerToken.configured("token-in-a-file", null))));
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTokenOnTheCommandLineIsRefused() throws Exception {
        String output = exitOutput(start(Map.of(), "--token=visible-in-ps"));
        assertTrue(
                output.contains("The File Service cannot start")
                        && output.contains("not on the command line")
                        && output.contains("FILES_SERVICE_TOKEN"),
                output);
        assertFalse(output.contains("visible-in-ps"), "the refusal must not repeat the token");
    }

    @Test
    void anUnreadableCertificateStopsTheStartNamingTheFile() throws Exception {
        Path missing = dir.resolve("no-such-cert.pem");
        String output = exitOutput(start(Map.of(), "--tls-cert-path=" + missing, "--tls-key-path=" + missing));
        assertTrue(output.contains("The File Service cannot start: Cannot read " + missing), output);
    }
}
