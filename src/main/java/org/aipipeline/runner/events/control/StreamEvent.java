package org.aipipeline.runner.events.control;

import jakarta.json.JsonObject;

/**
 * One Server-Sent Event: {@code id} is derived from stored state (the same run gives the same ids
 * on every instance and after restarts), {@code name} is the SSE event name, {@code data} its JSON.
 */
public record StreamEvent(String id, String name, JsonObject data) {}
