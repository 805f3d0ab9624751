package org.aipipeline.runner.results.control;

import org.aipipeline.runner.results.entity.PipelineBatch;

/** A batch, its counts (from its count slots) and one page of its results. */
public record BatchWithResults(PipelineBatch batch, BatchCounts counts, ResultsPage results) {}
