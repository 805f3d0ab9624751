package org.aipipeline.runner.users.boundary;

/** The spec's single-resource wrapper {@code {"user": {...}}}. */
public record UserResponse(UserView user) {}
