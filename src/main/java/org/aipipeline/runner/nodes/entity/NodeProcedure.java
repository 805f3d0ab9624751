package org.aipipeline.runner.nodes.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One procedure of a node, its schemes stored as the ApElement JSON {@code ApElementJson} prints.
 * No JPA relationship to {@link Node}: the registry reads procedures of many nodes in one query.
 */
@Entity
@Table(name = "node_procedures")
@IdClass(NodeProcedure.Key.class)
@NamedQuery(name = NodeProcedure.OF_NODE, query = "select p from NodeProcedure p where p.nodeId = :nodeId")
@NamedQuery(
        name = NodeProcedure.WITH_NODE_OF_NODES,
        query = "select p, n from NodeProcedure p, Node n"
                + " where n.id = p.nodeId and p.nodeId in :nodeIds order by p.nodeId, p.position")
public class NodeProcedure {

    public static final String OF_NODE = "NodeProcedure.ofNode";
    /** Procedures of the given nodes with their node (for its hash and liveness), in advertised order. */
    public static final String WITH_NODE_OF_NODES = "NodeProcedure.withNodeOfNodes";

    /** The composite primary key; a plain class, since JPA providers set id fields reflectively. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String nodeId;
        private String procedureId;

        public Key() {}

        public Key(String nodeId, String procedureId) {
            this.nodeId = nodeId;
            this.procedureId = procedureId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(nodeId, key.nodeId)
                    && Objects.equals(procedureId, key.procedureId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(nodeId, procedureId);
        }
    }

    @Id
    @Column(name = "node_id")
    private String nodeId;

    @Id
    @Column(name = "procedure_id")
    private String procedureId;

    @Column(name = "schema_version", nullable = false)
    private String schemaVersion;

    @Column(name = "input_scheme", nullable = false)
    private String inputScheme;

    @Column(name = "output_scheme", nullable = false)
    private String outputScheme;

    @Column(nullable = false)
    private int position;

    protected NodeProcedure() {}

    public NodeProcedure(String nodeId, String procedureId) {
        this.nodeId = nodeId;
        this.procedureId = procedureId;
    }

    public void describe(String schemaVersion, String inputScheme, String outputScheme, int position) {
        this.schemaVersion = schemaVersion;
        this.inputScheme = inputScheme;
        this.outputScheme = outputScheme;
        this.position = position;
    }

    /** True when {@link #describe} with these values would change nothing. */
    public boolean isDescribedAs(String schemaVersion, String inputScheme, String outputScheme, int position) {
        return this.schemaVersion.equals(schemaVersion)
                && this.inputScheme.equals(inputScheme)
                && this.outputScheme.equals(outputScheme)
                && this.position == position;
    }

    public String getNodeId() {
        return nodeId;
    }

    public String getProcedureId() {
        return procedureId;
    }

    public String getSchemaVersion() {
        return schemaVersion;
    }

    public String getInputScheme() {
        return inputScheme;
    }

    public String getOutputScheme() {
        return outputScheme;
    }

    public int getPosition() {
        return position;
    }
}
