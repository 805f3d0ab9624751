package org.aipipeline.runner.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
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

    @Inject
    FileServiceClient files;

    void onUserDeleted(@Observes UserDeleted event) {
        int deleted = files.deleteAllOf(event.userId());
        LOG.log(Level.DEBUG, "Deleted {0} files of user {1}", deleted, event.userId());
    }
}
