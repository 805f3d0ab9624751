package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CorsPolicyTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", " , ,"})
    void noOriginsMeansCorsIsOffForEveryOrigin(String setting) {
        CorsPolicy cors = CorsPolicy.of(setting, TEN_MINUTES);
        assertFalse(cors.enabled());
        assertFalse(cors.allows("https://dashboard.example.test"));
        assertFalse(cors.allows("null"));
        assertFalse(cors.allows(null));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // listed                                           | origin sent by the browser       | allowed
                "https://dashboard.example.test                     | https://dashboard.example.test   | true",
                "https://dashboard.example.test                     | http://dashboard.example.test    | false",
                "https://dashboard.example.test                     | https://dashboard.example.test:8443 | false",
                "https://dashboard.example.test                     | https://evil.dashboard.example.test | false",
                "https://dashboard.example.test                     | https://dashboard.example.test.evil.test | false",
                "https://dashboard.example.test                     | https://dashboard.example.tes    | false",
                "https://dashboard.example.test                     | null                             | false",
                "https://dashboard.example.test                     | https://dashboard.example.test/  | false",
                "HTTPS://Dashboard.Example.TEST/                    | https://dashboard.example.test   | true",
                "https://dashboard.example.test:443                 | https://dashboard.example.test   | true",
                "http://localhost:80                                | http://localhost                 | true",
                "http://localhost:5173                              | http://localhost:5173            | true",
                "http://localhost:5173                              | http://localhost:5174            | false",
                "http://localhost:5173                              | http://localhost                 | false",
                "http://[::1]:5173                                  | http://[::1]:5173                | true",
                "' https://a.example.test , https://b.example.test' | https://b.example.test           | true",
                "' https://a.example.test , https://b.example.test' | https://c.example.test           | false",
            })
    void originsMatchExactlyAsBrowsersSerializeThem(String listed, String origin, boolean allowed) {
        CorsPolicy cors = CorsPolicy.of(listed, TEN_MINUTES);
        assertTrue(cors.enabled());
        assertEquals(allowed, cors.allows(origin), listed + " vs " + origin);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "*",
                "dashboard.example.test",
                "ftp://dashboard.example.test",
                "https://",
                "https://dashboard.example.test/app",
                "https://dashboard.example.test?x=1",
                "https://dashboard.example.test#top",
                "https://user@dashboard.example.test",
                "https://*.example.test",
                "null",
                "https://ok.example.test, *"
            })
    void anEntryThatIsNotAnOriginIsRefusedNamingIt(String listed) {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> CorsPolicy.of(listed, TEN_MINUTES));
        assertTrue(refused.getMessage().startsWith("http.cors.allowed-origins: '"), refused.getMessage());
        assertTrue(
                refused.getMessage().contains("https://dashboard.example.com"),
                "says what an origin looks like: " + refused.getMessage());
    }

    @Test
    void originsAreListedNormalizedForTheLog() {
        assertEquals(
                Set.of("https://a.example.test", "http://b.example.test:8080"),
                CorsPolicy.of("HTTPS://A.example.test:443/,http://b.example.test:8080", TEN_MINUTES)
                        .origins());
    }

    @Test
    void thePreflightMaxAgeIsInSeconds() {
        assertEquals("600", CorsPolicy.of("https://a.example.test", TEN_MINUTES).maxAgeSeconds());
        assertEquals(
                "7200",
                CorsPolicy.of("https://a.example.test", Duration.ofHours(2)).maxAgeSeconds());
        assertThrows(
                IllegalArgumentException.class, () -> CorsPolicy.of("https://a.example.test", Duration.ofSeconds(-1)));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                // method, Origin, Access-Control-Request-Method, preflight
                "OPTIONS, https://a.example.test, POST, true",
                "OPTIONS, https://a.example.test, -, false",
                "OPTIONS, -, POST, false",
                "GET, https://a.example.test, POST, false",
                "options, https://a.example.test, POST, false",
            })
    void aPreflightIsAnOptionsRequestAskingForAMethodFromAnOrigin(
            String method, String origin, String requested, boolean preflight) {
        assertEquals(preflight, CorsPolicy.isPreflight(method, origin, requested));
    }
}
