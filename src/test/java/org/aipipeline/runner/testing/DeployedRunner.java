package org.aipipeline.runner.testing;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every integration test class starts from: the built WAR deployed in its own Payara Micro
 * (one JVM per class, so one class per area) and an API client for it, made before each test.
 * The class's own {@code @BeforeEach} runs after this one, so it can register users and start
 * nodes ({@link StartedNodes}) with {@link #api}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class DeployedRunner {

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return RunnerDeployment.war();
    }

    @ArquillianResource
    protected URL url;

    protected Api api;

    @BeforeEach
    void clientForTheDeployedRunner() {
        api = new Api(url);
    }
}
