package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyCheckTest {

    private static final int DEPTH = 8;
    private static final long SIZE = 200;

    /** Feeds the body in chunks of every size from 1 up, so no state depends on buffer boundaries. */
    private static void check(byte[] body) {
        for (int chunk = 1; chunk <= Math.min(body.length, 7); chunk++) {
            JsonBodyCheck check = new JsonBodyCheck(SIZE, DEPTH);
            for (int i = 0; i < body.length; i += chunk) {
                check.accept(body, i, Math.min(chunk, body.length - i));
            }
            check.finish();
        }
    }

    private static void check(String body) {
        check(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "\"plain\"",
                "null",
                "",
                "{\"a\":1,\"b\":{\"a\":2},\"c\":[{\"a\":3},{\"a\":4}]}", // same key in different objects
                "{\"a\":\"x\",\"b\":\"a\",\"c\":[\"a\",\"a\"]}", // values equal to keys, repeated array items
                "{\"a\\\"b\":1,\"a\\\\b\":2}", // escaped quote and backslash in keys
                "{\"\\u00e9\":1,\"\\ud83d\\ude00\":2,\"caf\u00e9 \uD83D\uDE00\":3}", // escapes, pairs, raw multi-byte
                "[[[[[[[[1]]]]]]]]", // exactly the depth limit
                "{\"s\":\"tab\\tnew\\nline \\\\u0000 is text here\"}", // an escaped backslash, then plain text
            })
    void acceptsWellFormedBodies(String body) {
        check(body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "duplicate key              | {\"a\":1,\"a\":2}                  | the key 'a' appears twice",
                "duplicate via escape       | {\"a\":1,\"\\u0061\":2}            | the key 'a' appears twice",
                "duplicate nested           | {\"x\":{\"k\":1,\"j\":2,\"k\":3}}  | the key 'k' appears twice",
                "duplicate after array      | {\"a\":[1,2],\"a\":3}              | the key 'a' appears twice",
                "too deep                   | [[[[[[[[[1]]]]]]]]]                | nested more than 8 levels",
                "escaped NUL                | {\"a\":\"x\\u0000y\"}              | \\u0000",
                "escaped NUL in a key       | {\"\\u0000\":1}                    | \\u0000",
                "lone high surrogate        | {\"a\":\"\\ud800x\"}               | lone surrogate \\ud800",
                "lone high surrogate at end | {\"a\":\"\\ud800\"}                | lone surrogate \\ud800",
                "lone low surrogate         | {\"a\":\"\\udc00\"}                | lone surrogate \\udc00",
                "raw control character      | {\"a\":\"x\u0001\"}                | raw control character U+0001",
            })
    void refusesWhatTheReaderWouldMisread(String name, String body, String expected) {
        RunnerException e = assertThrows(RunnerException.class, () -> check(body));
        assertEquals(400, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"a\":1}]", "null", "\"text\"", "1", " \n[]", "\uFEFF{}"})
    void refusesAnythingButAnObjectWhereAnObjectIsRead(String body) {
        JsonBodyCheck check = new JsonBodyCheck(SIZE, DEPTH).requireObject();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RunnerException e = assertThrows(RunnerException.class, () -> check.accept(bytes, 0, bytes.length));
        assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " \r\n\t{\"a\":[1]}", ""})
    void acceptsAnObjectWhereAnObjectIsRead(String body) {
        JsonBodyCheck check = new JsonBodyCheck(SIZE, DEPTH).requireObject();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        check.accept(bytes, 0, bytes.length);
        check.finish();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "7b2261223a22ff227d", // 0xFF never occurs in UTF-8
                "7b2261223a22c0af227d", // overlong '/'
                "7b2261223a22eda080227d", // an encoded surrogate (U+D800)
                "7b2261223a22f4908080227d", // above U+10FFFF
                "7b2261223a2280227d", // a continuation byte on its own
                "7b2261223a22e282", // cut off inside a character at the end
            })
    void refusesMalformedUtf8(String hex) {
        RunnerException e =
                assertThrows(RunnerException.class, () -> check(HexFormat.of().parseHex(hex)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("not valid UTF-8") || e.getMessage().contains("multi-byte"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 1000})
    void refusesBodiesOverTheSizeLimitWith413(int size) {
        RunnerException e = assertThrows(RunnerException.class, () -> check("[" + "1,".repeat(size / 2) + "1]"));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("larger than 200 bytes"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {198, 200})
    void acceptsBodiesUpToTheSizeLimit(int size) {
        String body = "\"" + "x".repeat(size - 2) + "\"";
        assertEquals(size, body.length());
        check(body);
    }
}
