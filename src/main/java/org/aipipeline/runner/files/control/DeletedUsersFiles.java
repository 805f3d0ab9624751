package org.aipipeline.runner.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.users.control.UserDeleted;

/**
 * Deleting a user deletes their files, data and metadata, through the File Service.
 *
 * <p>Why synchronously inside the deleting transaction, before the user row goes, and not
 * {@code AFTER_SUCCESS}: the File Service is not part of the transaction, so one of the two
 * orders can leave something behind. Deleting files first and failing the whole request when the
 * File Service is unavailable (503, the account stays, the user can simply try again) leaves at
 * worst an account with fewer files, which the retry finishes. Deleting after the commit would
 * instead leave orphaned files of a user who no longer exists whenever the File Service is down,
 * and nothing would ever ask for them again.
 */
@ApplicationScoped
public class DeletedUsersFiles {

    private static final System.Logger LOG = System.getLogger(DeletedUsersFiles.class.getName());
    private static final int PAGE = 100;

    @Inject
    FileServiceClient files;

    void onUserDeleted(@Observes UserDeleted event) {
        int deleted = deleteAllOf(files, event.userId());
        LOG.log(Level.DEBUG, "Deleted {0} files of user {1}", deleted, event.userId());
    }

    /**
     * Deletes every file of a user (data and metadata); returns how many. Uses only list and
     * delete, so it works against any File Service; each call goes through {@code files}' Fault
     * Tolerance (a list is retried, a delete is not).
     */
    public static int deleteAllOf(FileServiceClient files, UUID userId) {
        int deleted = 0;
        while (true) {
            // Always page 1: what was deleted no longer counts, so the next files move up.
            List<StoredFile> batch = files.list(userId, Optional.empty(), new PageRequest(1, PAGE))
                    .items();
            for (StoredFile file : batch) {
                try {
                    files.delete(userId, file.id());
                    deleted++;
                } catch (RunnerException.NotFound gone) {
                    // Deleted meanwhile (another request, the sweep): just as good.
                }
            }
            if (batch.size() < PAGE) {
                return deleted;
            }
        }
    }
}
