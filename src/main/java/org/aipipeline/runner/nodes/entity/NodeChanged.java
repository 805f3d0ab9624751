package org.aipipeline.runner.nodes.entity;

/**
 * CDI event: a node was registered or its procedures changed (fired in the transaction that wrote
 * it), so whoever keeps the catalog in memory drops what it knew. Other runner instances do not
 * hear it; their copies expire by age.
 */
public record NodeChanged(String nodeId) {}
