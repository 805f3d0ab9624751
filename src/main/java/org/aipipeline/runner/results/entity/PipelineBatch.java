package org.aipipeline.runner.results.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Many runs of the same steps over different inputs. Its counts are never stored: they are
 * computed from its results by query, so they cannot drift. {@code finishedAt} is set when the
 * last of its pipelines finishes.
 */
@Entity
@Table(name = "pipeline_batches")
public class PipelineBatch {

    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(name = "total_pipeline_count", nullable = false)
    private int totalPipelineCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected PipelineBatch() {}

    public PipelineBatch(UUID id, UUID userId, int totalPipelineCount, Instant now) {
        this.id = id;
        this.userId = userId;
        this.totalPipelineCount = totalPipelineCount;
        this.createdAt = now;
    }

    public void finish(Instant at) {
        if (finishedAt == null) {
            finishedAt = at;
        }
    }

    public UUID getId() {
        return id;
    }

    public UUID getUserId() {
        return userId;
    }

    public int getTotalPipelineCount() {
        return totalPipelineCount;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
