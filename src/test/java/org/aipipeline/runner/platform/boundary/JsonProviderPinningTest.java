package org.aipipeline.runner.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonProviderPinningTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(JsonProviderPinning.PROPERTY);
        System.clearProperty(JsonProviderPinning.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(JsonProviderPinning.PROPERTY);
        } else {
            System.setProperty(JsonProviderPinning.PROPERTY, before);
        }
    }

    @Test
    void pinsTheImplementationThatTheServiceLoaderFinds() {
        String found = JsonProvider.provider().getClass().getName();
        JsonProviderPinning.pin();
        assertEquals(found, System.getProperty(JsonProviderPinning.PROPERTY));
        assertEquals(
                found, JsonProvider.provider().getClass().getName(), "provider() still answers with the property set");
    }

    @Test
    void keepsAnOperatorsChoice() {
        String chosen = "com.example.TheirJsonProvider";
        System.setProperty(JsonProviderPinning.PROPERTY, chosen);
        JsonProviderPinning.pin();
        assertSame(chosen, System.getProperty(JsonProviderPinning.PROPERTY));
    }
}
