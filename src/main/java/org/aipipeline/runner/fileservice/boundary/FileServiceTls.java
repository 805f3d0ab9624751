package org.aipipeline.runner.fileservice.boundary;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * TLS for the File Service from PEM files, for its server and its clients. Each file is read and
 * its certificates parsed once, at start-up, so an unreadable or wrong path stops the start with
 * a message naming the file and the setting instead of failing every later call.
 */
public final class FileServiceTls {

    static final String CERT_SETTING = "FILES_SERVICE_TLS_CERT_PATH / files.service.tls.cert-path";
    static final String KEY_SETTING = "FILES_SERVICE_TLS_KEY_PATH / files.service.tls.key-path";
    static final String TRUST_SETTING = "FILES_SERVICE_TLS_TRUST_CERT_PATH / files.service.tls.trust-cert-path";

    private FileServiceTls() {}

    /** Whether TLS is configured for a server: both paths set (one alone is an error in {@link #server}). */
    public static boolean isSet(String path) {
        return path != null && !path.isBlank();
    }

    /**
     * TLS with the certificate chain (PEM, the server's certificate first) and its unencrypted
     * PKCS#8 private key (PEM {@code BEGIN PRIVATE KEY}); plaintext when neither path is set.
     */
    public static ServerCredentials server(String certPath, String keyPath) {
        if (!isSet(certPath) && !isSet(keyPath)) {
            return InsecureServerCredentials.create();
        }
        if (!isSet(certPath) || !isSet(keyPath)) {
            throw new IllegalArgumentException("TLS for the File Service needs both " + CERT_SETTING + " and "
                    + KEY_SETTING + "; only " + (isSet(certPath) ? "the certificate" : "the key") + " is set");
        }
        byte[] chain = certificates(certPath, CERT_SETTING);
        byte[] key = read(keyPath, KEY_SETTING);
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(new ByteArrayInputStream(chain), new ByteArrayInputStream(key))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown: both streams are in memory
        }
    }

    /** A client's credentials: TLS trusting the certificates in {@code trustPath} (PEM), or plaintext when it is not set. */
    public static ChannelCredentials client(String trustPath) {
        if (!isSet(trustPath)) {
            return InsecureChannelCredentials.create();
        }
        byte[] trusted = certificates(trustPath, TRUST_SETTING);
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(trusted))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown: the stream is in memory
        }
    }

    /** The bytes of a PEM file that holds at least one X.509 certificate. */
    private static byte[] certificates(String path, String setting) {
        byte[] pem = read(path, setting);
        try {
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))
                    .isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "The file " + path.strip() + " (" + setting
                            + ") must hold PEM certificates (-----BEGIN CERTIFICATE-----): " + e.getMessage(),
                    e);
        }
        return pem;
    }

    private static byte[] read(String path, String setting) {
        try {
            return Files.readAllBytes(Path.of(path.strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path.strip() + " (" + setting + "): " + e, e);
        }
    }
}
