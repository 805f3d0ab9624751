package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCursorTest {

    static final UUID ID = UUID.fromString("0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e");
    static final Instant AT = Instant.parse("2025-06-01T12:00:00.123456Z");

    @Test
    void aCursorSurvivesTheRoundTripAsUrlSafeText() {
        for (ResultListing listing : ResultListing.values()) {
            ResultCursor cursor = new ResultCursor(listing, 40, AT, ID);
            String text = cursor.encode();
            assertTrue(text.matches("[A-Za-z0-9_-]+"), text);
            assertEquals(cursor, ResultCursor.decode(text, listing));
        }
    }

    @Test
    void aCursorOfOneListingIsRejectedByTheOther() {
        String userCursor = new ResultCursor(ResultListing.USER_NEWEST_FIRST, 20, AT, ID).encode();

        RunnerException.BadInput rejected = assertThrows(
                RunnerException.BadInput.class,
                () -> ResultCursor.decode(userCursor, ResultListing.BATCH_OLDEST_FIRST));
        assertEquals(400, rejected.status());
        assertTrue(rejected.getMessage().startsWith("after belongs to another listing"), rejected.getMessage());
    }

    @Test
    void aCursorOfAStatusFilteredListingIsValidOnlyWithTheSameFilter() {
        String failed = new ResultCursor(ResultListing.ofUser(RunStatus.Failed), 20, AT, ID).encode();
        assertEquals(
                ResultListing.USER_FAILED_NEWEST_FIRST,
                ResultCursor.decode(failed, ResultListing.ofUser(RunStatus.Failed))
                        .listing());
        for (ResultListing other : List.of(
                ResultListing.USER_NEWEST_FIRST,
                ResultListing.ofUser(RunStatus.Succeeded),
                ResultListing.ofUser(RunStatus.Cancelled),
                ResultListing.ofUser(RunStatus.Running))) {
            RunnerException.BadInput rejected =
                    assertThrows(RunnerException.BadInput.class, () -> ResultCursor.decode(failed, other));
            assertTrue(
                    rejected.getMessage().startsWith("after belongs to another listing (another status filter"),
                    rejected.getMessage());
        }
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is not a cursor")
    @ValueSource(
            strings = {
                "",
                "not base64!",
                "abc",
                "%%%%",
                "1|U|20|2025-06-01T12:00:00Z", // a part missing
                "2|U|20|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e", // unknown version
                "1|X|20|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e", // unknown listing
                "1|UU|20|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e",
                "1|U|x|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e", // position not a number
                "1|U|-1|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e", // negative position
                "1|U|99999999999|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e",
                "1|U|20|yesterday|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e",
                "1|U|20|2025-06-01T12:00:00Z|not-a-uuid",
                "1|U|20|2025-06-01T12:00:00Z|0b6f3a52-1c1e-4e6a-9d2a-3f1c2b4a5d6e|extra",
            })
    void anythingElseIsABadRequest(String text) {
        String raw = text.contains("|") ? base64(text) : text;
        RunnerException.BadInput rejected = assertThrows(
                RunnerException.BadInput.class, () -> ResultCursor.decode(raw, ResultListing.USER_NEWEST_FIRST));
        assertTrue(rejected.getMessage().startsWith("after "), rejected.getMessage());
    }

    @Test
    void anOverlongCursorIsRejectedBeforeDecoding() {
        assertThrows(
                RunnerException.BadInput.class,
                () -> ResultCursor.decode("A".repeat(201), ResultListing.USER_NEWEST_FIRST));
    }

    static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
