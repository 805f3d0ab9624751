package org.aipipeline.runner.users.control;

import java.util.UUID;

/**
 * Fired synchronously inside the deleting transaction. Every area that owns user data observes
 * it and removes that data, so a failure anywhere rolls the whole deletion back.
 */
public record UserDeleted(UUID userId) {}
