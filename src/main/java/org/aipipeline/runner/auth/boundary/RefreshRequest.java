package org.aipipeline.runner.auth.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RefreshRequest(
        @NotBlank(message = "is required") @Size(max = 8192, message = "is too long")
        String accessToken,

        @NotBlank(message = "is required") @Size(max = 256, message = "is too long")
        String refreshToken) {}
