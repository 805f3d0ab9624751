package org.aipipeline.runner.fileservice.boundary;

import static org.aipipeline.runner.fileservice.RunningFileService.listOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.aipipeline.runner.fileservice.RunningFileService;
import org.aipipeline.runner.fileservice.SelfSignedCertificate;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A File Service with a certificate and key speaks TLS: a client trusting that certificate gets
 * answers, a plaintext client or one trusting another certificate does not. Bad paths are start
 * errors that name the file and the setting.
 */
class FileServiceTlsTest {

    @TempDir
    static Path dir;

    static SelfSignedCertificate certificate;
    static SelfSignedCertificate stranger;
    static RunningFileService service;

    @BeforeAll
    static void start() throws Exception {
        certificate = SelfSignedCertificate.create(dir, "fileservice");
        stranger = SelfSignedCertificate.create(dir, "stranger");
        service = RunningFileService.start(
                FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), dir.resolve("files"))
                        .withCredentials(FileServiceTls.server(
                                certificate.certificate().toString(),
                                certificate.privateKey().toString())),
                client -> client.withCredentials(
                        FileServiceTls.client(certificate.certificate().toString()), null));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        service.close();
    }

    private static FileServiceChannel to(String host) {
        return FileServiceChannel.plaintext(host + ":" + service.server.port());
    }

    @Test
    void aClientTrustingTheCertificateIsAnswered() {
        assertEquals(
                0,
                service.blocking()
                        .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                .setUserGuid(UUID.randomUUID().toString())
                                .setPageNumber(1)
                                .setPageSize(1)
                                .build())
                        .getItemsCount());
        // the certificate names localhost as well as 127.0.0.1
        assertEquals(
                0,
                listOnce(to("localhost")
                        .withCredentials(
                                FileServiceTls.client(certificate.certificate().toString()), null)));
    }

    @Test
    void aPlaintextClientIsNotAnswered() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> listOnce(to("127.0.0.1")));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void aClientTrustingAnotherCertificateIsNotAnswered() {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> listOnce(to("127.0.0.1")
                        .withCredentials(
                                FileServiceTls.client(stranger.certificate().toString()), null)));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void theCertificateMustNameTheHostUnlessAnAuthorityIsGiven() {
        FileServiceChannel trusting = to("127.0.0.1")
                .withCredentials(FileServiceTls.client(certificate.certificate().toString()), "files.example.org");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> listOnce(trusting));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        assertEquals(0, listOnce(trusting.withCredentials(trusting.credentials(), "localhost")));
    }

    // ---- start errors -------------------------------------------------------------------------

    @Test
    void anUnreadableCertificateOrKeyNamesTheFileAndTheSetting() {
        String missing = dir.resolve("missing.pem").toString();
        UncheckedIOException cert = assertThrows(
                UncheckedIOException.class,
                () -> FileServiceTls.server(missing, certificate.privateKey().toString()));
        assertTrue(
                cert.getMessage().contains(missing) && cert.getMessage().contains("FILES_SERVICE_TLS_CERT_PATH"),
                cert.getMessage());
        UncheckedIOException key = assertThrows(
                UncheckedIOException.class,
                () -> FileServiceTls.server(certificate.certificate().toString(), missing));
        assertTrue(
                key.getMessage().contains(missing) && key.getMessage().contains("FILES_SERVICE_TLS_KEY_PATH"),
                key.getMessage());
        UncheckedIOException trust = assertThrows(UncheckedIOException.class, () -> FileServiceTls.client(missing));
        assertTrue(
                trust.getMessage().contains(missing)
                        && trust.getMessage().contains("FILES_SERVICE_TLS_TRUST_CERT_PATH"),
                trust.getMessage());
    }

    @Test
    void aFileWithoutCertificatesIsAStartError() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not-a-certificate.pem"), "hello\n");
        IllegalArgumentException server = assertThrows(
                IllegalArgumentException.class,
                () -> FileServiceTls.server(
                        notPem.toString(), certificate.privateKey().toString()));
        assertTrue(
                server.getMessage().contains(notPem.toString())
                        && server.getMessage().contains("BEGIN CERTIFICATE"),
                server.getMessage());
        IllegalArgumentException client =
                assertThrows(IllegalArgumentException.class, () -> FileServiceTls.client(notPem.toString()));
        assertTrue(client.getMessage().contains("FILES_SERVICE_TLS_TRUST_CERT_PATH"), client.getMessage());
    }

    @Test
    void aKeyThatIsNotAPrivateKeyIsAStartErrorNamingTheSettings() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FileServiceServer.start(
                        FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), dir.resolve("bad-key"))
                                .withCredentials(FileServiceTls.server(
                                        certificate.certificate().toString(),
                                        certificate.certificate().toString()))));
        assertTrue(
                e.getMessage().contains("FILES_SERVICE_TLS_KEY_PATH")
                        && e.getMessage().contains("PKCS#8"),
                e.getMessage());
    }

    @Test
    void aCertificateWithoutAKeyIsAStartError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FileServiceTls.server(certificate.certificate().toString(), ""));
        assertTrue(
                e.getMessage().contains("needs both") && e.getMessage().contains("FILES_SERVICE_TLS_KEY_PATH"),
                e.getMessage());
    }

    @Test
    void noPathsMeanPlaintext() throws Exception {
        try (RunningFileService plain = RunningFileService.start(
                FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), dir.resolve("plain"))
                        .withCredentials(FileServiceTls.server(null, " ")),
                UnaryOperator.identity())) {
            assertEquals(
                    0,
                    listOnce(FileServiceChannel.plaintext(plain.server.localTarget())
                            .withCredentials(FileServiceTls.client(""), null)));
        }
    }
}
