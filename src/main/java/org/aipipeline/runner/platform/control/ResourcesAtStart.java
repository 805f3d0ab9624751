package org.aipipeline.runner.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * Creates, as the application starts, every application-scoped bean of the runner that has a
 * {@code @Resource} field, so its resources ({@code java:app/jdbc/runner}, the default managed
 * executors) are looked up while the application's naming context is there.
 *
 * <p>An application-scoped bean is otherwise created on its first use, on whatever thread that
 * is. The standard does not say that such a thread sees the application's {@code java:app} and
 * {@code java:comp} names, and on WildFly some do not: MicroProfile Fault Tolerance's
 * {@code @Asynchronous} threads and the management thread that runs health checks. A bean
 * created first there fails with "Can't find a resource named java:app/jdbc/runner" (Payara
 * resolves the names on any thread of the application, so there this only moves the creation
 * earlier).
 *
 * <p>Jakarta REST resources and providers are left alone: their runtime creates them (it injects
 * their {@code @Context} fields only then), on request threads, which see the names.
 */
@ApplicationScoped
public class ResourcesAtStart {

    private static final System.Logger LOG = System.getLogger(ResourcesAtStart.class.getName());
    private static final String RUNNER = "org.aipipeline.runner.";

    void create(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted, BeanManager beans) {
        int created = 0;
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getScope() == ApplicationScoped.class && needsResources(bean.getBeanClass())) {
                // a client proxy: calling any method on it creates the instance behind it
                try {
                    beans.getReference(bean, Object.class, beans.createCreationalContext(bean))
                            .toString();
                    created++;
                } catch (RuntimeException e) {
                    // as it would on first use; the start goes on, as it did before this class
                    LOG.log(
                            Level.WARNING,
                            "could not create " + bean.getBeanClass().getName() + " at start",
                            e);
                }
            }
        }
        LOG.log(Level.DEBUG, "created {0} application-scoped beans with resources at start", created);
    }

    /** Whether the class (or a superclass) of the runner's has a field injected by {@code @Resource}. */
    static boolean needsResources(Class<?> type) {
        if (type.isAnnotationPresent(Path.class) || type.isAnnotationPresent(Provider.class)) {
            return false;
        }
        for (Class<?> c = type; c != null && c.getName().startsWith(RUNNER); c = c.getSuperclass()) {
            if (Arrays.stream(c.getDeclaredFields()).anyMatch(f -> f.isAnnotationPresent(Resource.class))) {
                return true;
            }
        }
        return false;
    }
}
