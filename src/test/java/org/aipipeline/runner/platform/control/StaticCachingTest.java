package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StaticCachingTest {

    @Test
    void versionedWebJarsAreKeptForAYear() {
        assertEquals(StaticCaching.IMMUTABLE, StaticCaching.cacheControl("/webjars/swagger-ui/5.17.14/swagger-ui.css"));
    }

    @Test
    void theDashboardsOwnFilesAreRevalidated() {
        assertEquals(StaticCaching.REVALIDATE, StaticCaching.cacheControl("/dashboard/main.js"));
        assertEquals(StaticCaching.REVALIDATE, StaticCaching.cacheControl("/index.html"));
        assertEquals(StaticCaching.REVALIDATE, StaticCaching.cacheControl("/"));
        assertEquals(StaticCaching.REVALIDATE, StaticCaching.cacheControl("/swagger/swagger-initializer.js"));
    }

    @Test
    void apiResponsesAreLeftAlone() {
        assertNull(StaticCaching.cacheControl("/api/v1/Nodes"));
        assertNull(StaticCaching.cacheControl("/openapi"));
        assertNull(StaticCaching.cacheControl("/health/ready"));
        assertNull(StaticCaching.cacheControl(null));
    }
}
