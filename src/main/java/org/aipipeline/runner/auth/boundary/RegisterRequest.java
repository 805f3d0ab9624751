package org.aipipeline.runner.auth.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.users.control.Credentials;

public record RegisterRequest(
        @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a UUID")
        String id,

        @NotBlank(message = "is required")
        @Pattern(regexp = Credentials.USERNAME_PATTERN, message = Credentials.USERNAME_RULE)
        String username,

        @NotBlank(message = "is required")
        @Size(min = Credentials.PASSWORD_MIN, max = Credentials.PASSWORD_MAX, message = Credentials.PASSWORD_RULE)
        String password) {}
