package org.aipipeline.runner.results.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * How many running runs wait for a step of a given node. Reads only Running rows (the status
 * index), and of those only the ones whose stored plan names the node at all; the plan then says
 * whether the awaited step is the node's. Running runs are the ones in flight, so this stays small
 * however many finished runs the table holds.
 */
@ApplicationScoped
public class RunsInFlight {

    private static final String RUNNING_NAMING = "select step_plan, deadline_step from pipeline_results "
            + "where status = 'Running' and step_plan like ? escape '!'";

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** Running runs whose awaited step (the one with a deadline) is on node {@code nodeId}. */
    public long awaiting(String nodeId) {
        // In the plan's text the node id sits between tabs, escaped as StepPlan writes fields.
        String pattern = "%\t"
                + StepPlan.escape(nodeId).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "\t%";
        long count = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(RUNNING_NAMING)) {
            select.setString(1, pattern);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    StepPlan plan = StepPlan.parse(rs.getString(1));
                    int awaited = rs.getInt(2);
                    if (!rs.wasNull()
                            && awaited >= 1
                            && awaited <= plan.steps().size()
                            && plan.step(awaited).nodeId().equals(nodeId)) {
                        count++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable(
                    "Cannot count the runs in flight on node '" + nodeId + "': " + e.getMessage());
        }
        return count;
    }
}
