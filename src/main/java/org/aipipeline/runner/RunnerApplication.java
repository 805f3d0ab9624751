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
        info = @Info(title = "Orchestration Runner", version = "1",
                description = "Control plane of the AiPipeline platform: auth, users, files, nodes, pipelines and results. "
                        + "Every error is an RFC 9457 application/problem+json. On every route with a JSON body: "
                        + "400 for a body that is not JSON of the expected shape, not UTF-8, nested more than 160 "
                        + "levels, with a key twice in one object or a NUL character; 413 for a body over "
                        + "api.json.max-size (8 MiB by default); 415 for a Content-Type other than application/json "
                        + "(or a charset other than UTF-8). On every route: 503 with Retry-After while the database "
                        + "(or the broker or File Service it needs) is unavailable."),
        security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "apiKey")})
@SecuritySchemes({
    @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT"),
    @SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
            apiKeyName = "Authorization")
})
public class RunnerApplication extends Application {
}
