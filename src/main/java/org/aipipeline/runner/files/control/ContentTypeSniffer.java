package org.aipipeline.runner.files.control;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Guesses a content type from a file's first bytes, for uploads whose part says nothing useful
 * (no Content-Type, or {@code application/octet-stream}). Knows only the types pipelines commonly
 * take; anything else stays {@code application/octet-stream}. Pure: no I/O, no state.
 */
public final class ContentTypeSniffer {

    /** How many leading bytes {@link #sniff} looks at; more are ignored. */
    public static final int HEAD_SIZE = 512;

    public static final String OCTET_STREAM = "application/octet-stream";

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF87 = "GIF87a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF89 = "GIF89a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    // Local file header, empty archive, spanned archive.
    private static final byte[][] ZIP = {{'P', 'K', 3, 4}, {'P', 'K', 5, 6}, {'P', 'K', 7, 8}};
    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    private ContentTypeSniffer() {}

    /** The content type the head of a file suggests; an empty head is {@code application/octet-stream}. */
    public static String sniff(byte[] head, int length) {
        byte[] bytes = Arrays.copyOf(head, Math.min(length, Math.min(head.length, HEAD_SIZE)));
        if (startsWith(bytes, PNG)) {
            return "image/png";
        }
        if (startsWith(bytes, JPEG)) {
            return "image/jpeg";
        }
        if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) {
            return "image/gif";
        }
        if (startsWith(bytes, PDF)) {
            return "application/pdf";
        }
        for (byte[] zip : ZIP) {
            if (startsWith(bytes, zip)) {
                return "application/zip";
            }
        }
        return textType(bytes);
    }

    /** True if a declared type says nothing and sniffing should decide. */
    public static boolean isUninformative(String declared) {
        return declared == null
                || declared.isBlank()
                || declared.strip().toLowerCase(java.util.Locale.ROOT).startsWith(OCTET_STREAM);
    }

    private static String textType(byte[] bytes) {
        if (bytes.length == 0) {
            return OCTET_STREAM;
        }
        int start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
        String text = decodeUtf8(bytes, start);
        if (text == null || hasControlCharacters(text)) {
            return OCTET_STREAM;
        }
        String trimmed = text.stripLeading();
        // Only the head is seen, so "looks like the start of JSON" is the best we can say.
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return "application/json";
        }
        return "text/plain";
    }

    /** The head decoded as UTF-8, or null if it is not; a character cut off at the end is fine. */
    private static String decodeUtf8(byte[] bytes, int start) {
        ByteBuffer input = ByteBuffer.wrap(bytes, start, bytes.length - start);
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        var output = java.nio.CharBuffer.allocate(bytes.length);
        var result = decoder.decode(input, output, false);
        if (result.isError()) {
            return null;
        }
        // Leftover input is an incomplete sequence at the very end of the head: at most 3 bytes.
        if (input.remaining() > 3) {
            return null;
        }
        output.flip();
        return output.toString();
    }

    private static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f');
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
