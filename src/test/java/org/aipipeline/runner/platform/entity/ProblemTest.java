package org.aipipeline.runner.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void theMediaTypeIsRfc9457s() {
        assertEquals("application/problem+json", Problem.MEDIA_TYPE);
    }

    @Test
    void membersComeInTheStandardOrderWithErrorsAndExtensionsAfterThem() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("pipelineId", "p-1");
        extensions.put("batchId", "b-1");

        Map<String, Object> body = Problem.of(
                422,
                "Unprocessable Content",
                "Invalid request",
                List.of(
                        new FieldError("username", "is required"),
                        new FieldError("password", "must be 8 to 256 characters")),
                extensions,
                "req-1");

        assertEquals(
                List.of("type", "title", "status", "detail", "errors", "pipelineId", "batchId", "requestId"),
                List.copyOf(body.keySet()));
        assertEquals("about:blank", body.get("type"));
        assertEquals("Unprocessable Content", body.get("title"));
        assertEquals(422, body.get("status"));
        assertEquals("Invalid request", body.get("detail"));
        assertEquals(
                List.of(
                        Map.of("field", "username", "message", "is required"),
                        Map.of("field", "password", "message", "must be 8 to 256 characters")),
                body.get("errors"));
        assertEquals("p-1", body.get("pipelineId"));
        assertEquals("req-1", body.get("requestId"));
    }

    @Test
    void eachErrorListsFieldBeforeMessage() {
        Map<String, Object> body = Problem.of(
                422, "Unprocessable Content", null, List.of(new FieldError("name", "is required")), null, null);

        @SuppressWarnings("unchecked")
        Map<String, Object> error = ((List<Map<String, Object>>) body.get("errors")).get(0);
        assertEquals(List.of("field", "message"), List.copyOf(error.keySet()));
    }

    @Test
    void absentMembersAreLeftOut() {
        Map<String, Object> body = Problem.of(404, "Not Found", null, List.of(), Map.of(), null);
        assertEquals(List.of("type", "title", "status"), List.copyOf(body.keySet()));

        body = Problem.of(404, "Not Found", null, null, null, null);
        assertEquals(List.of("type", "title", "status"), List.copyOf(body.keySet()));
    }

    @Test
    void anExtensionCannotOverrideAStandardMember() {
        Map<String, Object> body = Problem.of(
                408,
                "Request Timeout",
                "Timed out",
                null,
                Map.of(
                        "status",
                        200,
                        "type",
                        "https://example.org/x",
                        "title",
                        "OK",
                        "detail",
                        "fine",
                        "pipelineId",
                        "p-1"),
                null);

        assertEquals(List.of("type", "title", "status", "detail", "pipelineId"), List.copyOf(body.keySet()));
        assertEquals(408, body.get("status"));
        assertEquals("about:blank", body.get("type"));
        assertEquals("Request Timeout", body.get("title"));
        assertEquals("Timed out", body.get("detail"));
    }
}
