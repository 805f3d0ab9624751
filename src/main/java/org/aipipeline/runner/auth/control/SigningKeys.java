package org.aipipeline.runner.auth.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;

/**
 * The RSA key pair that signs access tokens. Configured PEM files win; otherwise the embedded
 * default generates a pair once under {@code <data.dir>/jwt} so tokens survive a restart.
 *
 * <p>Read from system properties and environment directly (not through MicroProfile Config)
 * because {@link SigningKeysConfigSource} hands the public key to the MP-JWT verifier from
 * inside the configuration itself, where asking the configuration would recurse.
 */
public final class SigningKeys {

    private static volatile SigningKeys current;

    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;

    private SigningKeys(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static SigningKeys current() {
        SigningKeys keys = current;
        if (keys == null) {
            synchronized (SigningKeys.class) {
                if (current == null) {
                    current = load(
                            setting("jwt.private-key.path", ""),
                            setting("jwt.public-key.path", ""),
                            Path.of(setting("data.dir", "./data")));
                }
                keys = current;
            }
        }
        return keys;
    }

    static SigningKeys load(String privatePath, String publicPath, Path dataDir) {
        if (!privatePath.isBlank() && !publicPath.isBlank()) {
            return new SigningKeys(readPrivate(Path.of(privatePath)), readPublic(Path.of(publicPath)));
        }
        if (!privatePath.isBlank() || !publicPath.isBlank()) {
            throw new IllegalStateException("Configure both JWT_PRIVATE_KEY_PATH and JWT_PUBLIC_KEY_PATH, or neither");
        }
        Path dir = dataDir.resolve("jwt");
        Path privateFile = dir.resolve("private.pem");
        Path publicFile = dir.resolve("public.pem");
        if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
            generate(privateFile, publicFile);
        }
        return new SigningKeys(readPrivate(privateFile), readPublic(publicFile));
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    private static void generate(Path privateFile, Path publicFile) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(privateFile.getParent());
            writeAtomically(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            writeAtomically(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate the JWT key pair", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the JWT key pair under " + privateFile.getParent(), e);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static RSAPrivateKey readPrivate(Path file) {
        try {
            return (RSAPrivateKey)
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(derOf(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not a PKCS#8 RSA private key in PEM form", e);
        }
    }

    private static RSAPublicKey readPublic(Path file) {
        try {
            return (RSAPublicKey)
                    KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(derOf(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not an X.509 RSA public key in PEM form", e);
        }
    }

    private static byte[] derOf(Path file, String label) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII)
                    .replace("-----BEGIN " + label + "-----", "")
                    .replace("-----END " + label + "-----", "")
                    .replaceAll("\\s", "");
            return Base64.getDecoder().decode(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** {@code jwt.private-key.path} from a system property, else from {@code JWT_PRIVATE_KEY_PATH}. */
    static String setting(String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
