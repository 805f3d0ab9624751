package org.aipipeline.runner.events.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.aipipeline.runner.events.control.StreamTokens;

/**
 * Marks an event-stream route that also accepts {@code ?token=<stream token>} instead of the
 * {@code Authorization} header: a token of {@link #kind} whose id is the path parameter {@link #idParam}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamTokenRoute {

    StreamTokens.Kind kind();

    String idParam();
}
