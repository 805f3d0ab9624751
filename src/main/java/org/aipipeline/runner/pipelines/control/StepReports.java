package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.OutboxUnroutable;
import org.aipipeline.runner.pipelines.entity.PipelineFailed;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.RunPipelineStep;
import org.aipipeline.runner.pipelines.entity.StepCompleted;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.control.RunReport;
import org.aipipeline.runner.results.control.StepRecord;

/**
 * What nodes report, recorded many at a time: the protocol's StepCompleted and PipelineFailed
 * become rows for {@link RunRecords} (which holds the rules: once per step, finished once), and
 * the runs they finished are handed to {@link AwaitedRuns}.
 */
@ApplicationScoped
public class StepReports {

    private static final System.Logger LOG = System.getLogger(StepReports.class.getName());
    private static final ApElementJson ELEMENTS = new ApElementJson();
    static final int UNREACHABLE = 503;

    @Inject
    RunRecords records;

    @Inject
    AwaitedRuns awaited;

    /** A parsed report: a completion or a failure. */
    public sealed interface Report permits Completion, Failure {}

    public record Completion(StepCompleted message) implements Report {}

    public record Failure(PipelineFailed message) implements Report {}

    /**
     * Records the reports in one transaction.
     *
     * @return by index: the reports that can never be stored (unknown pipeline, step out of range)
     * @throws org.aipipeline.runner.platform.control.RunnerException.Unavailable the database failed; nothing was stored
     */
    public Map<Integer, RuntimeException> record(List<Report> reports) {
        List<RunReport> rows = new ArrayList<>(reports.size());
        for (Report report : reports) {
            rows.add(
                    report instanceof Completion completion
                            ? completed(completion.message())
                            : failed(((Failure) report).message()));
        }
        RunRecords.Recorded recorded = records.recordReports(rows);
        if (!recorded.finished().isEmpty()) {
            awaited.finished(recorded.finished());
        }
        return recorded.rejected();
    }

    /** A first step the broker returned: its run fails at once, with every step 503 "node unreachable". */
    void failUnroutable(@Observes OutboxUnroutable event) {
        if (event.entry().message().type() != MessageType.RUN_PIPELINE_STEP) {
            return;
        }
        RunPipelineStep step =
                RunPipelineStep.fromJson(new String(event.entry().message().body(), StandardCharsets.UTF_8));
        LOG.log(
                Level.WARNING,
                "Pipeline {0} failed before its first step: node ''{1}'' is unreachable ({2})",
                step.pipelineId(),
                step.currentStep().nodeId(),
                event.brokerReply());
        ProcedureIdentifier first = step.currentStep();
        List<StepRecord> notRun = step.nextSteps().stream()
                .map(next -> StepRecord.notRun(
                        next.orderInPipeline(),
                        next.nodeId(),
                        next.procedureId(),
                        next.outputValueSelector(),
                        UNREACHABLE,
                        "not run: node unreachable"))
                .toList();
        StepRecord failed = StepRecord.failed(
                first.orderInPipeline(),
                first.nodeId(),
                first.procedureId(),
                first.outputValueSelector(),
                DatabaseTime.now(),
                UNREACHABLE,
                "node unreachable");
        RunRecords.Recorded recorded = records.recordReports(
                List.of(RunReport.failed(step.pipelineId(), failed, notRun, failed.finishedAt())));
        awaited.finished(recorded.finished());
    }

    private static RunReport completed(StepCompleted report) {
        ProcedureIdentifier step = report.procedureIdentifier();
        return RunReport.completed(
                report.pipelineId(),
                StepRecord.succeeded(
                        step.orderInPipeline(),
                        step.nodeId(),
                        step.procedureId(),
                        step.outputValueSelector(),
                        report.completedAt(),
                        ELEMENTS.print(report.result())));
    }

    private static RunReport failed(PipelineFailed report) {
        ProcedureIdentifier step = report.procedureIdentifier();
        String notRunReason = "Not run: step " + step.orderInPipeline() + " failed";
        List<StepRecord> notRun = report.remainingNotCompletedSteps().stream()
                .map(remaining -> StepRecord.notRun(
                        remaining.orderInPipeline(),
                        remaining.nodeId(),
                        remaining.procedureId(),
                        remaining.outputValueSelector(),
                        report.failureCode(),
                        notRunReason))
                .toList();
        return RunReport.failed(
                report.pipelineId(),
                StepRecord.failed(
                        step.orderInPipeline(),
                        step.nodeId(),
                        step.procedureId(),
                        step.outputValueSelector(),
                        report.failedAt(),
                        report.failureCode(),
                        failureReason(report)),
                notRun,
                report.failedAt());
    }

    /** The node's reason, with the exception message after it when the node sent one. */
    static String failureReason(PipelineFailed report) {
        String exception = report.exceptionMessage();
        return exception == null || exception.isBlank()
                ? report.failureReason()
                : report.failureReason() + ": " + exception;
    }
}
