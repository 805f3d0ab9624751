package org.aipipeline.runner.results.entity;

import java.time.Instant;

/** The retry under way of a running pipeline's awaited step; see {@link PipelineResult#retrying()}. */
public record Retrying(int order, int failedAttempts, String lastFailureReason, Instant nextAttemptAt) {}
