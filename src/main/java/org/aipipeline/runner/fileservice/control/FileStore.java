package org.aipipeline.runner.fileservice.control;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.aipipeline.runner.fileservice.entity.FileRecord;
import org.aipipeline.runner.fileservice.entity.FileScope;

/**
 * Storing and removing files, bytes and metadata together.
 *
 * <p>Invariant: metadata exists only for bytes that are completely stored. An upload writes to
 * staging, publishes the bytes, and only then inserts the metadata; if anything fails on the
 * way, what was written is removed again, so a failed upload leaves nothing behind. Removal
 * deletes the metadata first (the file disappears at once for every reader) and the bytes after.
 */
public class FileStore {

    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    private final FileCatalog catalog;
    private final FileBlobs blobs;
    private final FileScope.Lifetimes lifetimes;
    private final Clock clock;

    public FileStore(FileCatalog catalog, FileBlobs blobs, FileScope.Lifetimes lifetimes, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.lifetimes = lifetimes;
        this.clock = clock;
    }

    public FileCatalog catalog() {
        return catalog;
    }

    /** What a new file is, apart from its bytes. */
    public record NewFile(UUID fileGuid, UUID userGuid, FileScope scope, String contentType, String fileName) {}

    /**
     * Starts an upload. A taken id is refused here already, before any byte is sent, and once
     * more at the end, where the database has the final word.
     */
    public Upload begin(NewFile file) {
        if (catalog.exists(file.fileGuid())) {
            throw FileCatalog.duplicate(file.fileGuid());
        }
        try {
            return new Upload(file, blobs.stage());
        } catch (IOException e) {
            throw new FileStoreException(FileStoreException.Reason.INTERNAL, "Could not start storing a file", e);
        }
    }

    public FileRecord get(UUID userGuid, UUID fileGuid) {
        return catalog.find(userGuid, fileGuid).orElseThrow(() -> FileStoreException.notFound(fileGuid));
    }

    /** The bytes of a file known to the catalog; NOT_FOUND if they vanished meanwhile (a racing delete). */
    public InputStream open(FileRecord file) {
        try {
            return blobs.open(file.path());
        } catch (NoSuchFileException e) {
            throw FileStoreException.notFound(file.fileGuid());
        } catch (IOException e) {
            throw new FileStoreException(
                    FileStoreException.Reason.INTERNAL, "Could not read file " + file.fileGuid(), e);
        }
    }

    public void remove(UUID userGuid, UUID fileGuid) {
        FileRecord file = get(userGuid, fileGuid);
        if (!catalog.delete(userGuid, fileGuid)) {
            throw FileStoreException.notFound(fileGuid);
        }
        deleteBytesQuietly(file);
    }

    private void deleteBytesQuietly(FileRecord file) {
        try {
            blobs.delete(file.path());
        } catch (IOException | RuntimeException e) {
            // The metadata is gone, so nobody can reach these bytes any more; they only take space.
            LOG.log(
                    Level.WARNING,
                    "Could not delete the bytes of removed file " + file.fileGuid() + " at " + file.path(),
                    e);
        }
    }

    /** One file being received. Not thread-safe: gRPC delivers a call's messages one at a time. */
    public final class Upload implements AutoCloseable {

        private final NewFile file;
        private final FileBlobs.Staged staged;
        private boolean finished;

        private Upload(NewFile file, FileBlobs.Staged staged) {
            this.file = file;
            this.staged = staged;
        }

        public void write(ByteBuffer data) {
            try {
                staged.write(data);
            } catch (IOException e) {
                throw new FileStoreException(
                        FileStoreException.Reason.INTERNAL, "Could not write file " + file.fileGuid(), e);
            }
        }

        /** Publishes the bytes, then records the metadata; undoes the publishing if recording fails. */
        public FileRecord finish() {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            FileRecord record = new FileRecord(
                    file.fileGuid(),
                    file.userGuid(),
                    file.scope(),
                    file.contentType(),
                    file.fileName(),
                    staged.size(),
                    FileBlobs.pathFor(file.scope(), file.fileGuid(), file.fileName()),
                    FileBlobs.STORAGE_PROVIDER,
                    now,
                    file.scope().expires() ? now.plus(lifetimes.of(file.scope())) : null);
            try {
                staged.publishAs(record.path());
            } catch (FileAlreadyExistsException e) {
                throw FileCatalog.duplicate(file.fileGuid());
            } catch (IOException e) {
                throw new FileStoreException(
                        FileStoreException.Reason.INTERNAL, "Could not store file " + file.fileGuid(), e);
            }
            try {
                catalog.insert(record);
            } catch (RuntimeException e) {
                deleteBytesQuietly(record);
                throw e;
            }
            finished = true;
            return record;
        }

        /** Discards whatever was received unless the upload finished. Safe to call more than once. */
        @Override
        public void close() {
            try {
                staged.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Could not discard the staged bytes of " + file.fileGuid(), e);
            }
            if (!finished) {
                LOG.log(Level.DEBUG, "Upload of {0} discarded", file.fileGuid());
            }
        }
    }
}
