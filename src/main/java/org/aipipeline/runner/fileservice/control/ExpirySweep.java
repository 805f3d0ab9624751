package org.aipipeline.runner.fileservice.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.aipipeline.runner.fileservice.entity.FileRecord;

/**
 * Deletes temporary and short-term files whose time is up. Bytes go first and metadata second,
 * so a sweep that fails halfway leaves the record behind and the next sweep finishes the job.
 * Whoever hosts the File Service schedules {@link #sweep}; running it twice at once is harmless.
 */
public class ExpirySweep {

    private static final System.Logger LOG = System.getLogger(ExpirySweep.class.getName());
    private static final int BATCH = 100;
    /** Staging files this old belong to no running upload any more. */
    private static final Duration STALE_STAGING = Duration.ofDays(1);

    private final FileCatalog catalog;
    private final FileBlobs blobs;

    public ExpirySweep(FileCatalog catalog, FileBlobs blobs) {
        this.catalog = catalog;
        this.blobs = blobs;
    }

    /** Deletes every file expired at {@code now}; returns how many. */
    public int sweep(Instant now) {
        int deleted = 0;
        while (true) {
            List<FileRecord> expired = catalog.expired(now, BATCH);
            int deletedNow = 0;
            for (FileRecord file : expired) {
                if (delete(file)) {
                    deletedNow++;
                }
            }
            deleted += deletedNow;
            // A batch that deleted nothing would come back unchanged: stop rather than spin.
            if (expired.size() < BATCH || deletedNow == 0) {
                break;
            }
        }
        clearStaging(now);
        if (deleted > 0) {
            LOG.log(Level.INFO, "Expiry sweep deleted {0} files", deleted);
        }
        return deleted;
    }

    private boolean delete(FileRecord file) {
        try {
            blobs.delete(file.path());
            return catalog.delete(file.userGuid(), file.fileGuid());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not sweep expired file " + file.fileGuid() + "; next sweep retries", e);
            return false;
        }
    }

    private void clearStaging(Instant now) {
        try {
            blobs.clearStaging(now.minus(STALE_STAGING));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not clear stale staging files", e);
        }
    }
}
