package org.aipipeline.runner.files.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.aipipeline.runner.platform.control.RunnerException;
import org.junit.jupiter.api.Test;

class SizeLimitedStreamTest {

    private static SizeLimitedStream over(int size, long limit) {
        return new SizeLimitedStream(
                new ByteArrayInputStream(new byte[size]),
                limit,
                max -> new RunnerException.TooLarge("more than " + max));
    }

    @Test
    void exactlyTheLimitPasses() throws IOException {
        try (SizeLimitedStream in = over(1000, 1000)) {
            assertEquals(1000, in.readAllBytes().length);
            assertEquals(1000, in.count());
        }
    }

    @Test
    void oneByteMoreIsRefusedWhileReading() {
        SizeLimitedStream in = over(1001, 1000);
        RunnerException.TooLarge e = assertThrows(RunnerException.TooLarge.class, in::readAllBytes);
        assertEquals("more than 1000", e.getMessage());
    }

    @Test
    void singleByteReadsAndSkipsCountToo() throws IOException {
        SizeLimitedStream in = over(3, 2);
        in.read();
        in.skip(1);
        assertThrows(RunnerException.TooLarge.class, in::read);
    }

    @Test
    void anEmptyStreamIsFine() throws IOException {
        assertEquals(0, over(0, 0).readAllBytes().length);
    }
}
