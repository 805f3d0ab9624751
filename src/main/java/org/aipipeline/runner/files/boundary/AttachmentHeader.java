package org.aipipeline.runner.files.boundary;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a download. Old clients read only the quoted
 * {@code filename}, which must be plain ASCII; the RFC 5987 {@code filename*} carries the real
 * name in UTF-8 whenever it differs.
 */
final class AttachmentHeader {

    private static final String UNRESERVED = "!#$&+-.^_`|~";

    private AttachmentHeader() {}

    static String of(String fileName) {
        String name = fileName == null || fileName.isBlank() ? "download" : fileName;
        String ascii = asciiFallback(name);
        String header = "attachment; filename=\"" + ascii + "\"";
        return ascii.equals(name) ? header : header + "; filename*=UTF-8''" + percentEncode(name);
    }

    /** Non-ASCII, control characters, quotes and backslashes become '_', so the quoted string stays valid. */
    private static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        return out.toString();
    }

    /** RFC 5987 attr-char stays as is, everything else is %XX of its UTF-8 bytes. */
    private static String percentEncode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
