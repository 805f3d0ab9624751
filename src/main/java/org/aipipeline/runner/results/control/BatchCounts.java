package org.aipipeline.runner.results.control;

/** How many of a batch's pipelines exist, succeeded and failed (the rest are running). */
public record BatchCounts(long total, long succeeded, long failed) {}
