package org.aipipeline.runner.platform.control;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a JSON request body byte by byte as it streams past, before the JSON-B reader sees it,
 * for what the reader lets through or reports badly. A body is rejected (400, or 413 for size)
 * when it
 * <ul>
 *   <li>is not a JSON object where the resource reads one into a record;</li>
 *   <li>is larger than {@code maxBytes} (counted as read, so a body of unknown length stops there);</li>
 *   <li>is not well-formed UTF-8 (the reader would silently substitute U+FFFD);</li>
 *   <li>nests objects and arrays deeper than {@code maxDepth} (unknown members are skipped by the
 *       reader without any depth limit);</li>
 *   <li>repeats a key within one object (the reader keeps one of them silently);</li>
 *   <li>holds a raw control character in a string, or the escapes {@code \u0000} or a lone
 *       surrogate (PostgreSQL can store neither in text or jsonb).</li>
 * </ul>
 * It tracks just enough structure for that: string/escape state, a stack of open containers and
 * the keys seen in each open object. Whether the body is valid JSON otherwise is the parser's job.
 * Pure and single-use: one instance per body.
 */
public final class JsonBodyCheck {

    private final long maxBytes;
    private final int maxDepth;
    private boolean requireObject;

    private long offset;

    // UTF-8: continuation bytes still expected, and the allowed range of the next one.
    private int utf8Pending;
    private int utf8Low = 0x80;
    private int utf8High = 0xBF;

    // Structure: one entry per open container; objects carry their keys.
    private final Deque<Set<String>> objects = new ArrayDeque<>();
    private final Deque<Boolean> containers = new ArrayDeque<>();
    private boolean expectKey;

    // Strings.
    private boolean inString;
    private boolean stringIsKey;
    private boolean escape;
    private int unicodeDigits = -1;
    private int unicodeValue;
    private int pendingHighSurrogate = -1;
    private final StringBuilder key = new StringBuilder();
    private final ByteArrayOutputStream keyBytes = new ByteArrayOutputStream();

    public JsonBodyCheck(long maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
    }

    /**
     * The body must be a JSON object: the JSON-B reader would otherwise read {@code [{...}]} as
     * the object inside, or {@code null} as no body.
     */
    public JsonBodyCheck requireObject() {
        requireObject = true;
        return this;
    }

    /** Feeds the next bytes of the body; throws {@link RunnerException} at the first problem. */
    public void accept(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            accept(bytes[i] & 0xFF);
        }
    }

    /** The body ended: a multi-byte character cut short is the last thing that can be wrong. */
    public void finish() {
        if (utf8Pending > 0) {
            throw bad("the body ends inside a multi-byte UTF-8 character");
        }
    }

    private void accept(int b) {
        if (++offset > maxBytes) {
            throw new RunnerException.TooLarge("The JSON body is larger than " + maxBytes
                    + " bytes (api.json.max-size): send less, e.g. split a batch into several");
        }
        utf8(b);
        if (requireObject && b != ' ' && b != '\t' && b != '\n' && b != '\r') {
            requireObject = false;
            if (b != '{') {
                throw bad("the body must be a JSON object {...}");
            }
        }
        if (inString) {
            inString(b);
            return;
        }
        switch (b) {
            case '{' -> open(true);
            case '[' -> open(false);
            case '}', ']' -> close();
            case ',' -> expectKey = isInObject();
            case '"' -> {
                inString = true;
                stringIsKey = expectKey && isInObject();
                expectKey = false;
                key.setLength(0);
                keyBytes.reset();
            }
            default -> {}
        }
    }

    private void open(boolean object) {
        if (containers.size() >= maxDepth) {
            throw bad("objects and arrays are nested more than " + maxDepth + " levels deep");
        }
        containers.push(object);
        if (object) {
            objects.push(new HashSet<>());
        }
        expectKey = object;
    }

    private void close() {
        if (!containers.isEmpty() && containers.pop()) {
            objects.pop();
        }
        expectKey = false;
    }

    private boolean isInObject() {
        return !containers.isEmpty() && containers.peek();
    }

    private void inString(int b) {
        if (unicodeDigits >= 0) {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                unicodeDigits = -1; // malformed escape: the parser reports it
                return;
            }
            unicodeValue = unicodeValue * 16 + digit;
            if (++unicodeDigits == 4) {
                unicodeDigits = -1;
                escapedUnit((char) unicodeValue);
            }
            return;
        }
        if (escape) {
            escape = false;
            if (b == 'u') {
                unicodeDigits = 0;
                unicodeValue = 0;
                return;
            }
            requireNoPendingSurrogate();
            keyChar(
                    switch (b) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> (char) b;
                    });
            return;
        }
        if (b == '\\') {
            escape = true;
            return;
        }
        requireNoPendingSurrogate();
        if (b == '"') {
            inString = false;
            if (stringIsKey) {
                String name = keyText();
                if (!objects.isEmpty() && !objects.peek().add(name)) {
                    throw bad("the key '" + printable(name) + "' appears twice in one object");
                }
            }
            return;
        }
        if (b == 0) {
            throw bad("a string holds a NUL byte: NUL characters are not accepted");
        }
        if (b < 0x20) {
            throw bad("a string holds the raw control character U+" + String.format("%04X", b)
                    + ": escape it (\\n, \\t, \\u00XX)");
        }
        if (stringIsKey) {
            keyBytes.write(b);
        }
    }

    private void escapedUnit(char unit) {
        if (unit == 0) {
            throw bad("a string holds \\u0000: NUL characters are not accepted");
        }
        if (Character.isHighSurrogate(unit)) {
            requireNoPendingSurrogate();
            pendingHighSurrogate = unit;
            return;
        }
        if (Character.isLowSurrogate(unit)) {
            if (pendingHighSurrogate < 0) {
                throw bad("a string holds a lone surrogate \\u" + String.format("%04x", (int) unit)
                        + ": escape a character outside the BMP as a surrogate pair");
            }
            keyChar((char) pendingHighSurrogate);
            pendingHighSurrogate = -1;
            keyChar(unit);
            return;
        }
        requireNoPendingSurrogate();
        keyChar(unit);
    }

    private void requireNoPendingSurrogate() {
        if (pendingHighSurrogate >= 0) {
            throw bad("a string holds a lone surrogate \\u" + String.format("%04x", pendingHighSurrogate)
                    + ": escape a character outside the BMP as a surrogate pair");
        }
    }

    private void keyChar(char c) {
        if (stringIsKey) {
            flushKeyBytes();
            key.append(c);
        }
    }

    private void flushKeyBytes() {
        if (keyBytes.size() > 0) {
            key.append(keyBytes.toString(StandardCharsets.UTF_8));
            keyBytes.reset();
        }
    }

    private String keyText() {
        flushKeyBytes();
        return key.toString();
    }

    private void utf8(int b) {
        if (utf8Pending > 0) {
            if (b < utf8Low || b > utf8High) {
                throw notUtf8();
            }
            utf8Pending--;
            utf8Low = 0x80;
            utf8High = 0xBF;
            return;
        }
        if (b < 0x80) {
            return;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            utf8Pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            utf8Pending = 2;
            utf8Low = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
            utf8High = b == 0xED ? 0x9F : 0xBF; // no encoded surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            utf8Pending = 3;
            utf8Low = b == 0xF0 ? 0x90 : 0x80;
            utf8High = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        } else {
            throw notUtf8();
        }
    }

    private RunnerException notUtf8() {
        return bad("the body is not valid UTF-8 (JSON must be sent as UTF-8)");
    }

    private RunnerException bad(String what) {
        return new RunnerException.BadInput("The JSON body was refused at byte " + (offset - 1) + ": " + what);
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
