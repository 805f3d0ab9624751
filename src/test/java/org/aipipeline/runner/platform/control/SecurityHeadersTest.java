package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityHeadersTest {

    private static final Duration YEAR = Duration.ofDays(365);

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                // servlet path, API (strict) policy
                "/api/v1, true",
                "/openapi, true",
                "/health, true",
                "/health/ready, true",
                "/metrics, true",
                "/error-page, true",
                "-, true",
                "/swagger/, false",
                "/swagger/index.html, false",
                "/swagger/swagger-initializer.js, false",
                "/webjars/swagger-ui/5.17.14/swagger-ui.css, false",
                "/, false",
                "/index.html, false",
            })
    void dataGetsAPolicyThatAllowsNothingAndPagesOneThatAllowsTheirOwnOrigin(String path, boolean api) {
        SecurityHeaders headers = new SecurityHeaders(YEAR, false);
        assertEquals(
                api ? SecurityHeaders.API_POLICY : SecurityHeaders.PAGE_POLICY,
                headers.contentSecurityPolicy(path),
                path);
    }

    @Test
    void everyPolicyForbidsFramingAndNoPolicyAllowsInlineOrForeignContent() {
        for (String policy : List.of(SecurityHeaders.API_POLICY, SecurityHeaders.PAGE_POLICY)) {
            assertTrue(policy.startsWith("default-src 'none';"), policy);
            assertTrue(policy.contains("frame-ancestors 'none'"), policy);
            for (String weakness : List.of("unsafe-", "*", "http:", "https:")) {
                assertFalse(policy.contains(weakness), weakness + " in " + policy);
            }
        }
        assertEquals("script-src 'self'", directive(SecurityHeaders.PAGE_POLICY, "script-src"));
        assertEquals(
                "", directive(SecurityHeaders.API_POLICY, "script-src"), "the API falls back to default-src 'none'");
    }

    private static String directive(String policy, String name) {
        for (String part : policy.split(";")) {
            if (part.strip().startsWith(name + " ")) {
                return part.strip();
            }
        }
        return "";
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                // secure, X-Forwarded-Proto, proxy trusted, HSTS sent
                "true, -, false, true",
                "true, http, false, true",
                "false, -, false, false",
                "false, https, false, false",
                "false, https, true, true",
                "false, ' HTTPS ', true, true",
                "false, http, true, false",
                "false, -, true, false",
                "false, 'https, http', true, false",
            })
    void hstsOnlyForRequestsThatCameOverTls(boolean secure, String forwardedProto, boolean trusted, boolean sent) {
        SecurityHeaders headers = new SecurityHeaders(YEAR, trusted);
        String value = headers.strictTransportSecurity(secure, forwardedProto);
        if (sent) {
            assertEquals("max-age=31536000", value);
        } else {
            assertNull(value);
        }
    }

    @Test
    void theHstsMaxAgeComesFromTheSettingInSeconds() {
        assertEquals(
                "max-age=600", new SecurityHeaders(Duration.ofMinutes(10), false).strictTransportSecurity(true, null));
        assertEquals(
                "max-age=0",
                new SecurityHeaders(Duration.ZERO, false).strictTransportSecurity(true, null),
                "zero tells browsers to forget an earlier policy");
        assertThrows(IllegalArgumentException.class, () -> new SecurityHeaders(Duration.ofSeconds(-1), false));
    }
}
