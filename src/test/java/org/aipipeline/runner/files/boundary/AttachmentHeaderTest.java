package org.aipipeline.runner.files.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttachmentHeaderTest {

    @Test
    void asciiNamesAreQuotedOnly() {
        assertEquals("attachment; filename=\"photo 1.png\"", AttachmentHeader.of("photo 1.png"));
    }

    @Test
    void nonAsciiNamesGetAnAsciiFallbackAndTheUtf8Name() {
        assertEquals(
                "attachment; filename=\"Gr__e.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt",
                AttachmentHeader.of("Grüße.txt"));
    }

    @Test
    void quotesAndBackslashesCannotBreakTheQuotedString() {
        assertEquals(
                "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%22b%5C.txt", AttachmentHeader.of("a\"b\\.txt"));
    }

    @Test
    void aMissingNameBecomesDownload() {
        assertEquals("attachment; filename=\"download\"", AttachmentHeader.of(""));
    }
}
