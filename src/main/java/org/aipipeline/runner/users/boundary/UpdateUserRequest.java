package org.aipipeline.runner.users.boundary;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.aipipeline.runner.users.control.Credentials;

public record UpdateUserRequest(
        @Size(min = 3, max = 64, message = Credentials.USERNAME_RULE)
        @Pattern(regexp = Credentials.USERNAME_PATTERN, message = Credentials.USERNAME_RULE)
        String username,

        @Size(min = Credentials.PASSWORD_MIN, max = Credentials.PASSWORD_MAX, message = Credentials.PASSWORD_RULE)
        String password) {}
