package org.aipipeline.runner.fileservice.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.aipipeline.runner.fileservice.entity.FileScope;

/**
 * File bytes on the local filesystem under one root, at {@code <scope-dir>/<file_guid><extension>}.
 *
 * <p>Invariant: a file appears at its final path only complete and synced. Bytes go to a
 * private file in {@code .staging/} first and are then published in one step that never
 * replaces an existing file (a hard link, or an atomic move where links are not supported), so
 * readers never see half a file and a racing duplicate cannot overwrite another file's bytes.
 * Reading and writing stream in chunks; no file is ever held in memory whole.
 */
public class FileBlobs {

    public static final String STORAGE_PROVIDER = "filesystem";

    private static final String STAGING = ".staging";
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,16}");

    private final Path root;

    public FileBlobs(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The relative path a file gets: the extension of its name, if it has a plain one, is kept. */
    public static String pathFor(FileScope scope, UUID fileGuid, String fileName) {
        return scope.directory() + "/" + fileGuid + extensionOf(fileName);
    }

    static String extensionOf(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return "";
        }
        String extension = fileName.substring(dot + 1);
        return EXTENSION.matcher(extension).matches() ? "." + extension.toLowerCase(Locale.ROOT) : "";
    }

    /** Starts writing a new file; the caller must {@link Staged#publishAs publish} or close it. */
    public Staged stage() throws IOException {
        Path directory = Files.createDirectories(root.resolve(STAGING));
        Path file = directory.resolve(UUID.randomUUID() + ".part");
        return new Staged(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Opens a stored file for reading; {@link NoSuchFileException} if it is gone. */
    public InputStream open(String relativePath) throws IOException {
        return Files.newInputStream(resolve(relativePath));
    }

    /** Deletes a stored file; false if it was already gone. */
    public boolean delete(String relativePath) throws IOException {
        return Files.deleteIfExists(resolve(relativePath));
    }

    /** Removes staging files left behind by a crash, i.e. older than {@code cutoff}. */
    public int clearStaging(Instant cutoff) throws IOException {
        Path directory = root.resolve(STAGING);
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.part")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Paths come from the database: never let one point outside the root. */
    private Path resolve(String relativePath) {
        Path path = root.resolve(relativePath).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Path outside the file root: " + relativePath);
        }
        return path;
    }

    /** A file being written. Closing it without publishing deletes it. */
    public final class Staged implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        private long size;
        private boolean published;

        private Staged(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        public void write(ByteBuffer data) throws IOException {
            while (data.hasRemaining()) {
                size += channel.write(data);
            }
        }

        public long size() {
            return size;
        }

        /**
         * Syncs the bytes and makes them visible at {@code relativePath} in one step.
         *
         * @throws FileAlreadyExistsException if a file is already there; it is left untouched
         */
        public void publishAs(String relativePath) throws IOException {
            channel.force(true);
            channel.close();
            Path target = resolve(relativePath);
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, file);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                // Some filesystems (certain network and container mounts) refuse hard links.
                moveUnlessPresent(target);
            }
            published = true;
            Files.deleteIfExists(file);
        }

        /** The fallback has a tiny window between the check and the move; ids are random, so it stays theoretical. */
        private void moveUnlessPresent(Path target) throws IOException {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() throws IOException {
            channel.close();
            if (!published) {
                Files.deleteIfExists(file);
            }
        }
    }
}
