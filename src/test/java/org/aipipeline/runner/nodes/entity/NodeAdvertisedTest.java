package org.aipipeline.runner.nodes.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.apscheme.ApObject;
import org.aipipeline.runner.apscheme.ApString;
import org.aipipeline.runner.nodes.PublishedAdverts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAdvertisedTest {

    private static final String SCHEME = "{\"type\":\"ApString\",\"value\":\"\"}";

    private static String advert(String nodeIdJson, String proceduresJson) {
        return "{\"nodeId\":" + nodeIdJson + ",\"procedures\":" + proceduresJson + "}";
    }

    private static String procedure(String id) {
        return "{\"id\":\"" + id + "\",\"schemaVersion\":1,\"input\":" + SCHEME + ",\"output\":" + SCHEME + "}";
    }

    @Test
    void readsTheWordProcessorAdvertAsPublished() {
        NodeAdvertised advert = NodeAdvertised.parse(PublishedAdverts.wordProcessor("word-processor"));
        assertEquals("word-processor", advert.nodeId());
        assertEquals(1, advert.procedures().size());
        NodeAdvertised.AdvertisedProcedure repeat = advert.procedures().get(0);
        assertEquals("repeat-string", repeat.id());
        assertEquals("1", repeat.schemaVersion());
        ApObject input = assertInstanceOf(ApObject.class, repeat.input());
        assertEquals(
                List.of("inputString", "repetitionCount"),
                List.copyOf(input.properties().keySet()));
        assertEquals(ApString.template(), ((ApObject) repeat.output()).property("repeatedString"));
    }

    @Test
    void readsBothTireOcrAdvertsAsPublished() {
        NodeAdvertised ocr = NodeAdvertised.parse(PublishedAdverts.tireOcrOcr("tire-ocr-ocr"));
        NodeAdvertised post = NodeAdvertised.parse(PublishedAdverts.tireOcrPostprocessing("tire-ocr-postprocessing"));
        assertEquals("PerformSingleOcr", ocr.procedures().get(0).id());
        assertEquals("PerformTireCodePostprocessing", post.procedures().get(0).id());
        assertEquals(ApString.template(), post.procedures().get(0).input());
        ApElementJson json = new ApElementJson();
        // what is stored prints and re-reads to the same element
        assertEquals(
                ocr.procedures().get(0).output(),
                json.parse(ocr.procedures().get(0).outputJson()));
    }

    @Test
    void acceptsASchemaVersionGivenAsAStringAndIgnoresUnknownFields() {
        NodeAdvertised advert = NodeAdvertised.parse("{\"nodeId\":\"n\",\"extra\":true,\"procedures\":[{\"id\":\"p\","
                + "\"schemaVersion\":\"2.1\",\"input\":" + SCHEME + ",\"output\":" + SCHEME + ",\"note\":\"x\"}]}");
        assertEquals("2.1", advert.procedures().get(0).schemaVersion());
    }

    @Test
    void aNodeWithoutProceduresIsAccepted() {
        assertEquals(List.of(), NodeAdvertised.parse(advert("\"idle\"", "[]")).procedures());
    }

    @Test
    void procedureIdsDifferingOnlyInCaseAreDistinct() {
        NodeAdvertised advert =
                NodeAdvertised.parse(advert("\"n\"", "[" + procedure("ocr") + "," + procedure("OCR") + "]"));
        assertEquals(2, advert.procedures().size());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("not JSON", "{\"nodeId\": ", ""),
                Arguments.of("empty body", "", ""),
                Arguments.of("an array", "[]", ""),
                Arguments.of("missing node id", "{\"procedures\":[]}", "nodeId"),
                Arguments.of("empty node id", advert("\"\"", "[]"), "nodeId"),
                Arguments.of("blank node id", advert("\"  \"", "[]"), "nodeId"),
                Arguments.of("numeric node id", advert("42", "[]"), "nodeId"),
                Arguments.of("reserved queue name", advert("\"amq.gen-1\"", "[]"), "nodeId"),
                Arguments.of("too long for a queue", advert("\"" + "n".repeat(256) + "\"", "[]"), "nodeId"),
                Arguments.of("missing procedures", "{\"nodeId\":\"n\"}", "procedures"),
                Arguments.of("procedures not an array", advert("\"n\"", "{}"), "procedures"),
                Arguments.of("procedure not an object", advert("\"n\"", "[1]"), "procedures[0]"),
                Arguments.of("empty procedure id", advert("\"n\"", "[" + procedure("") + "]"), "procedures[0].id"),
                Arguments.of(
                        "missing procedure id",
                        advert("\"n\"", "[{\"schemaVersion\":1,\"input\":" + SCHEME + ",\"output\":" + SCHEME + "}]"),
                        "procedures[0].id"),
                Arguments.of(
                        "missing schema version",
                        advert("\"n\"", "[{\"id\":\"p\",\"input\":" + SCHEME + ",\"output\":" + SCHEME + "}]"),
                        "procedures[0].schemaVersion"),
                Arguments.of(
                        "missing input",
                        advert("\"n\"", "[{\"id\":\"p\",\"schemaVersion\":1,\"output\":" + SCHEME + "}]"),
                        "procedures[0].input"),
                Arguments.of(
                        "duplicate procedure ids",
                        advert("\"n\"", "[" + procedure("p") + "," + procedure("q") + "," + procedure("p") + "]"),
                        "procedures[2].id"),
                Arguments.of(
                        "unknown ApElement type",
                        PublishedAdverts.tireOcrOcr("n").replace("\"ApFile\"", "\"ApImage\""),
                        "procedures[0].input.properties.image.type"),
                Arguments.of(
                        "scheme of the wrong kind",
                        advert(
                                "\"n\"",
                                "[{\"id\":\"p\",\"schemaVersion\":1,\"input\":\"ApString\",\"output\":" + SCHEME
                                        + "}]"),
                        "procedures[0].input"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithThePathOfTheProblem(String why, String body, String path) {
        InvalidAdvert e = assertThrows(InvalidAdvert.class, () -> NodeAdvertised.parse(body));
        assertEquals(path, e.path(), e.getMessage());
        assertEquals(path.isEmpty() ? e.reason() : path + ": " + e.reason(), e.getMessage());
    }

    @Test
    void contentHashIsStableForEqualContent() {
        NodeAdvertised published = NodeAdvertised.parse(PublishedAdverts.tireOcrOcr("a"));
        // same content, other formatting and node id: the hash covers the procedures only
        NodeAdvertised reformatted =
                NodeAdvertised.parse(PublishedAdverts.tireOcrOcr("b").replaceAll("\\s+", ""));
        assertEquals(published.contentHash(), reformatted.contentHash());
        assertEquals(64, published.contentHash().length());
    }

    @Test
    void contentHashChangesWithAnyChangeOfContent() {
        String base = advert("\"n\"", "[" + procedure("p") + "," + procedure("q") + "]");
        String hash = NodeAdvertised.parse(base).contentHash();
        List<String> changed = List.of(
                advert("\"n\"", "[" + procedure("p") + "]"),
                advert("\"n\"", "[" + procedure("q") + "," + procedure("p") + "]"),
                advert("\"n\"", "[" + procedure("p") + "," + procedure("r") + "]"),
                base.replaceFirst("\"schemaVersion\":1", "\"schemaVersion\":2"),
                base.replaceFirst("\"value\":\"\"", "\"value\":\"x\""),
                base.replaceFirst("ApString", "ApInt").replaceFirst("\"value\":\"\"", "\"value\":0"));
        for (String other : changed) {
            assertNotEquals(hash, NodeAdvertised.parse(other).contentHash(), other);
        }
    }
}
