package org.aipipeline.runner.platform.entity;

/** One invalid field of a request: {@code field} is the JSON path, {@code message} says what to fix. */
public record FieldError(String field, String message) {}
