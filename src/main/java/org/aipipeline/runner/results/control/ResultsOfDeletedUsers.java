package org.aipipeline.runner.results.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.users.control.UserDeleted;

/**
 * Deletes a deleted user's step results, results and batches, inside the user-deletion
 * transaction ({@link UserDeleted} is fired synchronously there), so it is all or nothing.
 *
 * <p>The schema's {@code on delete cascade} from users would remove the same rows when the user
 * row goes, but deleting explicitly keeps the behaviour independent of how the user row is removed
 * (and of the database's cascade support), and children go first so no foreign key is ever
 * violated along the way. Bulk statements: a user may own many thousands of results.
 */
@ApplicationScoped
public class ResultsOfDeletedUsers {

    private static final System.Logger LOG = System.getLogger(ResultsOfDeletedUsers.class.getName());

    @PersistenceContext
    EntityManager em;

    void delete(@Observes UserDeleted deleted) {
        int steps = em.createQuery("delete from StepResult s where s.pipelineId in "
                        + "(select r.pipelineId from PipelineResult r where r.userId = :userId)")
                .setParameter("userId", deleted.userId())
                .executeUpdate();
        int results = em.createQuery("delete from PipelineResult r where r.userId = :userId")
                .setParameter("userId", deleted.userId())
                .executeUpdate();
        int batches = em.createQuery("delete from PipelineBatch b where b.userId = :userId")
                .setParameter("userId", deleted.userId())
                .executeUpdate();
        LOG.log(Level.DEBUG, "User {0} deleted: removed {1} results ({2} steps) and {3} batches",
                deleted.userId(), results, steps, batches);
    }
}
