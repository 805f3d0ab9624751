package org.aipipeline.runner.testing;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The deployment of every integration test: the WAR exactly as built, deployed at the root
 * context so the tests see the same URLs as production ({@code /api/v1/...}).
 */
public final class RunnerDeployment {

    private RunnerDeployment() {}

    public static WebArchive war() {
        File built = new File(System.getProperty("runner.war", "target/runner.war"));
        if (!built.isFile()) {
            throw new IllegalStateException(built + " is missing: run the integration tests through 'mvn verify'");
        }
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(built)
                .as(WebArchive.class);
    }
}
