package org.aipipeline.runner.messaging;

import java.util.Arrays;
import java.util.Optional;

/**
 * The contracts of the node protocol, by the .NET full type name that WolverineFx reads from the
 * {@code message-type} header to pick a handler. The names must stay byte-for-byte what the
 * original platform uses, or unmodified .NET nodes drop our messages.
 */
public enum MessageType {
    RUN_PIPELINE_STEP("AiPipeline.Orchestration.Shared.All.Contracts.Commands.RunPipelineStep.RunPipelineStep"),
    STEP_COMPLETED("AiPipeline.Orchestration.Shared.All.Contracts.Events.StepCompletion.StepCompleted"),
    PIPELINE_FAILED("AiPipeline.Orchestration.Shared.All.Contracts.Events.PipelineFailure.PipelineFailed"),
    NODE_ADVERTISED("AiPipeline.Orchestration.Shared.All.Contracts.Events.NodeAdvertisement.NodeAdvertised"),
    /** Runner-internal (never seen by nodes): a pipeline finished, {@code {"pipelineId", "status"}}. */
    PIPELINE_FINISHED("AiPipeline.Orchestration.Runner.Contracts.Events.PipelineFinished"),
    /**
     * Extension of the node protocol (issue 13), on the {@code pipeline-cancellations} fanout:
     * {@code {"pipelineId", "cancelledAt"}}; nodes that do not know it never bind to it.
     */
    CANCEL_PIPELINE("AiPipeline.Orchestration.Runner.Contracts.Commands.CancelPipeline");

    /** The header WolverineFx routes on. */
    public static final String HEADER = "message-type";

    private final String dotnetName;

    MessageType(String dotnetName) {
        this.dotnetName = dotnetName;
    }

    public String dotnetName() {
        return dotnetName;
    }

    /** The type a {@code message-type} header names, if it is one of ours. */
    public static Optional<MessageType> ofDotnetName(String name) {
        return Arrays.stream(values())
                .filter(type -> type.dotnetName.equals(name))
                .findFirst();
    }
}
