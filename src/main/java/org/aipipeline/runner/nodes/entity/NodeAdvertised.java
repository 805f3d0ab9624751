package org.aipipeline.runner.nodes.entity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;

/**
 * The protocol's NodeAdvertised message: {@code {"nodeId", "procedures": [{"id", "schemaVersion",
 * "input", "output"}]}}, already validated (see {@link NodeAdvertisedReader}).
 */
public record NodeAdvertised(String nodeId, List<AdvertisedProcedure> procedures) {

    private static final ApElementJson JSON = new ApElementJson();

    /** One advertised procedure with its declared schemes. */
    public record AdvertisedProcedure(String id, String schemaVersion, ApElement input, ApElement output) {
        public AdvertisedProcedure {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(schemaVersion, "schemaVersion");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }

        public String inputJson() {
            return JSON.print(input);
        }

        public String outputJson() {
            return JSON.print(output);
        }
    }

    public NodeAdvertised {
        Objects.requireNonNull(nodeId, "nodeId");
        procedures = List.copyOf(procedures);
    }

    /**
     * Parses and validates a message body.
     *
     * @throws InvalidAdvert naming the JSON path of the first problem
     */
    public static NodeAdvertised parse(String json) {
        return NodeAdvertisedReader.read(json);
    }

    /**
     * SHA-256 (hex) of a canonical form of the procedures: their order, ids, versions and schemes
     * as ApElementJson prints them. Equal content gives an equal hash, so a re-advert that
     * changes nothing is recognised without reading the stored procedures.
     */
    public String contentHash() {
        StringBuilder canonical = new StringBuilder();
        for (AdvertisedProcedure procedure : procedures) {
            // length-prefixed fields: no choice of ids can make two different lists print alike
            field(canonical, procedure.id());
            field(canonical, procedure.schemaVersion());
            field(canonical, procedure.inputJson());
            field(canonical, procedure.outputJson());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void field(StringBuilder canonical, String value) {
        canonical.append(value.length()).append(':').append(value).append(';');
    }
}
