package org.aipipeline.runner.results.control;

import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.results.entity.PipelineBatch;

/** A batch, its counts (by query) and one page of its results. */
public record BatchWithResults(PipelineBatch batch, BatchCounts counts, Page<ResultWithSteps> results) {
}
