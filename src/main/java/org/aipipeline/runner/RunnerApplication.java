package org.aipipeline.runner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * The REST entry point. Bearer access tokens are verified by MicroProfile JWT (MP-JWT login
 * config); API keys are checked by {@link org.aipipeline.runner.auth.boundary.Authentication}.
 */
@ApplicationPath("api/v1")
@ApplicationScoped // a CDI bean, so Payara's MP-JWT extension sees @LoginConfig
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Orchestration Runner",
                        version = "1",
                        description =
                                "Control plane of the AiPipeline platform: auth, users, files, nodes, pipelines and results. "
                                        + "Every error is an RFC 9457 application/problem+json (schema Problem; 422 lists every invalid "
                                        + "field in errors). Authenticate with 'Authorization: Bearer <accessToken>' (POST /Auth/Login) or "
                                        + "'Authorization: <apiKey>' (POST /Auth/ApiKey); Register, Login and Refresh need neither. "
                                        + "Lists are {items, pagination}; single resources come wrapped in one named member ({\"user\": ...})."),
        security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "apiKey")})
@SecuritySchemes({
    @SecurityScheme(
            securitySchemeName = "bearer",
            type = SecuritySchemeType.HTTP,
            scheme = "bearer",
            bearerFormat = "JWT",
            description = "An access token from POST /Auth/Login or /Auth/Refresh (15 minutes by default)"),
    @SecurityScheme(
            securitySchemeName = "apiKey",
            type = SecuritySchemeType.APIKEY,
            in = SecuritySchemeIn.HEADER,
            apiKeyName = "Authorization",
            description = "An API key from POST /Auth/ApiKey, sent as the whole Authorization value (no scheme word)")
})
public class RunnerApplication extends Application {}
