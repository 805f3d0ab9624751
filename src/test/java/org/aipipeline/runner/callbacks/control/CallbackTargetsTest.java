package org.aipipeline.runner.callbacks.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.results.control.RunCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackTargetsTest {

    static final CallbackTargets GUARDED = new CallbackTargets(false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080/admin",
                "http://localhost/x",
                "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://0.0.0.0:9090/",
                "http://[fe80::1]/x"
            })
    void loopbackLinkLocalAndWildcardTargetsAreRefusedByDefault(String url) {
        String problem = GUARDED.problemWith(url);
        assertTrue(problem != null && problem.contains("callbacks may not reach"), url + ": " + problem);
        assertNull(new CallbackTargets(true).problemWith(url), "allowed when webhooks.allow-private-targets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "/relative/path", "gopher://10.0.0.1/"})
    void onlyAbsoluteHttpAndHttpsUrlsAreTargets(String url) {
        assertTrue(new CallbackTargets(true).problemWith(url) != null, url);
    }

    @Test
    void aPublicAddressIsATarget() {
        assertNull(GUARDED.problemWith("https://93.184.215.14/hooks/runner"));
    }

    @Test
    void eventsDefaultToFinishedAndEveryProblemIsNamedByItsField() {
        List<FieldError> errors = new ArrayList<>();
        RunCallback callback =
                GUARDED.check(new CallbackTargets.Requested("https://93.184.215.14/h", "s3cret", null), errors);
        assertEquals(List.of(), errors);
        assertEquals(Set.of("finished"), callback.events());

        RunCallback bad = GUARDED.check(
                new CallbackTargets.Requested("http://127.0.0.1/h", "", List.of("finished", "done")), errors);
        assertNull(bad);
        assertEquals(
                List.of("callback.url", "callback.secret", "callback.events[1]"),
                errors.stream().map(FieldError::field).toList());
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBodyInHex() {
        // computed independently: printf '1700000000.{"event":"finished"}' | openssl dgst -sha256 -hmac key
        assertEquals(
                "t=1700000000,v1=6730b966dbca0170dba7789cd92e2637a2998c18add23a2b9f6f882acb4f4f6b",
                WebhookSignature.header("key", 1700000000L, "{\"event\":\"finished\"}"));
    }

    @Test
    void failedDeliveriesWaitLongerEachTimeUpToAnHour() {
        assertEquals(1, WebhookDeliveries.waitAfter(1).toSeconds());
        assertEquals(2, WebhookDeliveries.waitAfter(2).toSeconds());
        assertEquals(8, WebhookDeliveries.waitAfter(4).toSeconds());
        assertEquals(3600, WebhookDeliveries.waitAfter(30).toSeconds());
    }
}
