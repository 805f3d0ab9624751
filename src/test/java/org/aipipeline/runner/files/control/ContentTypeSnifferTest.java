package org.aipipeline.runner.files.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContentTypeSnifferTest {

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("png", bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13), "image/png"),
                Arguments.of("jpeg", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'), "image/jpeg"),
                Arguments.of("gif87", ascii("GIF87a\u0001\u0000"), "image/gif"),
                Arguments.of("gif89", ascii("GIF89a"), "image/gif"),
                Arguments.of("pdf", ascii("%PDF-1.7\n%\u00e2\u00e3"), "application/pdf"),
                Arguments.of("zip", bytes('P', 'K', 3, 4, 20, 0, 0, 0), "application/zip"),
                Arguments.of("empty zip", bytes('P', 'K', 5, 6, 0, 0), "application/zip"),
                Arguments.of("json object", utf8("  {\"a\": 1}"), "application/json"),
                Arguments.of("json array", utf8("\n[1, 2, 3]"), "application/json"),
                Arguments.of("plain text", utf8("hello, world\nsecond line\t tab"), "text/plain"),
                Arguments.of("utf-8 text with BOM", concat(bytes(0xef, 0xbb, 0xbf), utf8("Grüße")), "text/plain"),
                Arguments.of("binary", bytes(0, 1, 2, 3, 0xfe, 0xff), "application/octet-stream"),
                Arguments.of(
                        "latin-1 is not utf-8", bytes('c', 'a', 'f', 0xe9, ' ', 'o', 'k'), "application/octet-stream"),
                Arguments.of("empty", new byte[0], "application/octet-stream"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void recognisesTheCommonTypesByTheirFirstBytes(String name, byte[] head, String expected) {
        assertEquals(expected, ContentTypeSniffer.sniff(head, head.length));
    }

    @Test
    void aMultiByteCharacterCutOffAtTheEndOfTheHeadIsStillText() {
        byte[] text = utf8("a".repeat(ContentTypeSniffer.HEAD_SIZE - 1) + "ü and more");
        assertEquals("text/plain", ContentTypeSniffer.sniff(text, text.length));
    }

    @Test
    void onlyTheGivenLengthCounts() {
        byte[] buffer = Arrays.copyOf(ascii("%PDF-"), 64);
        assertEquals("application/pdf", ContentTypeSniffer.sniff(buffer, 5));
        assertEquals("text/plain", ContentTypeSniffer.sniff(buffer, 3));
    }

    @Test
    void octetStreamAndNothingAreUninformative() {
        assertTrue(ContentTypeSniffer.isUninformative(null));
        assertTrue(ContentTypeSniffer.isUninformative(" "));
        assertTrue(ContentTypeSniffer.isUninformative("Application/Octet-Stream"));
        assertFalse(ContentTypeSniffer.isUninformative("image/png"));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
