package org.aipipeline.runner.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventIdTest {

    @Test
    void everyIdRoundTripsThroughItsText() {
        for (String text : List.of("1:dispatched", "12:retrying:3", "2:succeeded", "7:failed", "finished")) {
            assertEquals(text, EventId.parse(text).toString());
        }
    }

    @Test
    void idsOfOtherShapesAreNotIds() {
        for (String text : List.of(
                "",
                "0:dispatched",
                "1:started",
                "1:retrying",
                "1:retrying:0",
                "progress:1:0",
                "Finished",
                "-1:failed",
                "1:succeeded ",
                "99999999999:dispatched")) {
            assertNull(EventId.parse(text), text);
        }
        assertNull(EventId.parse(null));
    }

    @Test
    void aStepsEventsComeDispatchThenRetriesThenOutcomeThenTheNextStep() {
        List<String> inOrder = List.of(
                "1:dispatched",
                "1:retrying:1",
                "1:retrying:2",
                "1:retrying:10",
                "1:succeeded",
                "2:dispatched",
                "2:failed",
                "10:dispatched",
                "finished");
        for (int i = 1; i < inOrder.size(); i++) {
            assertTrue(
                    EventId.parse(inOrder.get(i - 1)).compareTo(EventId.parse(inOrder.get(i))) < 0,
                    inOrder.get(i - 1) + " before " + inOrder.get(i));
        }
    }
}
