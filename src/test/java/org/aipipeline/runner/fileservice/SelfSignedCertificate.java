package org.aipipeline.runner.fileservice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with
 * the JDK's own {@code keytool} and written as PEM: the certificate and its unencrypted PKCS#8
 * private key, the form a File Service is configured with.
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final char[] PASSWORD = "test-only".toCharArray();

    public static SelfSignedCertificate create(Path directory, String name) throws IOException, InterruptedException {
        Path store = directory.resolve(name + ".p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        name,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD);
            Certificate certificate = keys.getCertificate(name);
            Key key = keys.getKey(name, PASSWORD);
            SelfSignedCertificate pem =
                    new SelfSignedCertificate(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
            Files.writeString(pem.certificate(), pem("CERTIFICATE", certificate.getEncoded()));
            // PKCS12 keeps the key as PKCS#8: its encoding is exactly a "BEGIN PRIVATE KEY" body.
            Files.writeString(pem.privateKey(), pem("PRIVATE KEY", key.getEncoded()));
            return pem;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool wrote", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
