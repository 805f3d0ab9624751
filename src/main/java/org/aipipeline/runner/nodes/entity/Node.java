package org.aipipeline.runner.nodes.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A node that advertised itself. Its procedures live in {@link NodeProcedure} rows; the content
 * hash lets an unchanged re-advert be recognised without reading them.
 */
@Entity
@Table(name = "nodes")
@NamedQuery(
        name = Node.TOUCH,
        query = "update Node n set n.lastAdvertisedAt = :at where n.id = :id"
                + " and n.contentHash = :contentHash and n.lastAdvertisedAt < :touchedBefore")
@NamedQuery(name = Node.CONTENT_HASH, query = "select n.contentHash from Node n where n.id = :id")
@NamedQuery(name = Node.COUNT, query = "select count(n) from Node n")
@NamedQuery(name = Node.ALL_BY_ID, query = "select n from Node n order by n.id")
public class Node {

    /** Moves the timestamp of an unchanged node, unless it was moved after {@code touchedBefore}. */
    public static final String TOUCH = "Node.touch";

    public static final String CONTENT_HASH = "Node.contentHash";
    public static final String COUNT = "Node.count";
    public static final String ALL_BY_ID = "Node.allById";

    /**
     * Creates the row unless another transaction (another runner instance) just did: PostgreSQL
     * (and H2 in PostgreSQL mode) let this wait for that transaction instead of failing with a
     * unique violation, which would abort ours. The empty hash matches no advert, so the caller
     * then writes the content as for a changed node.
     */
    public static final String INSERT_IF_ABSENT = "insert into nodes (id, content_hash, last_advertised_at, created_at,"
            + " updated_at) values (?1, '', ?2, ?3, ?4) on conflict do nothing";

    @Id
    private String id;

    @Column(name = "content_hash", nullable = false)
    private String contentHash;

    @Column(name = "last_advertised_at", nullable = false)
    private Instant lastAdvertisedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** When the procedures last changed; a mere re-advert only moves {@link #lastAdvertisedAt}. */
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Node() {}

    /** Records new procedures content advertised at {@code at}. */
    public void changeContent(String newContentHash, Instant at) {
        this.contentHash = newContentHash;
        this.updatedAt = at;
        advertisedAt(at);
    }

    /** Moves the timestamp forward only: adverts processed out of order never move it back. */
    public void advertisedAt(Instant at) {
        if (lastAdvertisedAt == null || at.isAfter(lastAdvertisedAt)) {
            this.lastAdvertisedAt = at;
        }
    }

    public String getId() {
        return id;
    }

    public String getContentHash() {
        return contentHash;
    }

    public Instant getLastAdvertisedAt() {
        return lastAdvertisedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
