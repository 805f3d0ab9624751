package org.aipipeline.runner.results.control;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * A place in a listing of results, handed out as {@code pagination.nextCursor} and taken back as
 * the {@code after} query parameter: the sort key (createdAt, id) of the last result shown, so the
 * next page is an index range scan starting right there however deep it is, and {@code position},
 * how many results precede the next page, so that page can still report its {@code pageNumber}.
 *
 * <p>Opaque to clients (base64url of {@code 1|<listing>|<position>|<createdAt>|<id>}) but not
 * signed: it only positions the caller inside a listing that is already scoped to them, so a forged
 * cursor shows nothing a pageNumber could not. Anything that is not a cursor of the listing asked
 * for is a 400, never an empty page.
 */
public record ResultCursor(ResultListing listing, long position, Instant createdAt, UUID id) {

    private static final String VERSION = "1";
    private static final int MAX_LENGTH = 200;

    public ResultCursor {
        if (position < 0 || position > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("position out of range: " + position);
        }
    }

    public String encode() {
        String text = String.join(
                "|",
                VERSION,
                String.valueOf(listing.code()),
                String.valueOf(position),
                createdAt.toString(),
                id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws RunnerException.BadInput not a cursor this runner issued for {@code expected} */
    public static ResultCursor decode(String raw, ResultListing expected) {
        if (raw.length() > MAX_LENGTH) {
            throw invalid("is too long");
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            throw invalid("is not a cursor");
        }
        if (parts.length != 5 || !parts[0].equals(VERSION) || parts[1].length() != 1) {
            throw invalid("is not a cursor");
        }
        if (ResultListing.ofCode(parts[1].charAt(0)) != expected) {
            throw invalid("belongs to another listing (another status filter, or none)");
        }
        try {
            return new ResultCursor(
                    expected, Long.parseLong(parts[2]), Instant.parse(parts[3]), UUID.fromString(parts[4]));
        } catch (RuntimeException e) { // NumberFormat, DateTimeParse, IllegalArgument: all "not ours"
            throw invalid("is not a cursor");
        }
    }

    private static RunnerException.BadInput invalid(String why) {
        return new RunnerException.BadInput(
                "after " + why + ": pass pagination.nextCursor of the previous page of this listing unchanged");
    }
}
