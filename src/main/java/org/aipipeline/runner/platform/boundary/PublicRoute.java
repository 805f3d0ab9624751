package org.aipipeline.runner.platform.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST method (or resource) that needs no credentials. We do not use {@code @PermitAll}:
 * Payara's MP-JWT feature answers a {@code @PermitAll} route by forcing an authentication round,
 * which turns every anonymous call into a 401.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PublicRoute {}
