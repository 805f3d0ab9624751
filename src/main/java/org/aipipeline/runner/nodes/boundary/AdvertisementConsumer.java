package org.aipipeline.runner.nodes.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.messaging.Deliveries;
import org.aipipeline.runner.messaging.IncomingMessage;
import org.aipipeline.runner.messaging.RejectMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.nodes.entity.InvalidAdvert;
import org.aipipeline.runner.nodes.entity.NodeAdvertised;
import org.aipipeline.runner.platform.control.DatabaseTime;

/**
 * Consumes {@code node-advertisements-queue} from start-up (after the schema migration) until
 * undeploy. A bad advert is dead-lettered with the reason and never reaches the registry; a good
 * one is recorded (committed) and then the node's queue is declared, so steps sent while the node
 * restarts wait for it. The delivery is acked only after both, so a failure of either retries it.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class AdvertisementConsumer {

    private static final System.Logger LOG = System.getLogger(AdvertisementConsumer.class.getName());

    @Inject
    Deliveries deliveries;

    @Inject
    Topology topology;

    @Inject
    NodeRegistry registry;

    private Deliveries.Subscription subscription;

    @PostConstruct
    void start() {
        subscription = deliveries.consume(topology.nodeAdvertisementsQueue(), this::handle);
        LOG.log(Level.INFO, "Consuming node adverts from {0}", topology.nodeAdvertisementsQueue());
    }

    @PreDestroy
    void stop() {
        if (subscription != null) {
            subscription.close();
        }
    }

    // Runs on the container's executor, outside this singleton's container lock (a plain method
    // reference), so adverts are handled concurrently; the registry serialises per node.
    void handle(IncomingMessage message) throws Exception {
        NodeAdvertised advert;
        try {
            advert = NodeAdvertised.parse(message.bodyText());
        } catch (InvalidAdvert e) {
            throw new RejectMessage("invalid NodeAdvertised: " + e.getMessage(), e);
        }
        if (topology.isRunnerQueue(advert.nodeId())) {
            throw new RejectMessage("invalid NodeAdvertised: nodeId: '" + advert.nodeId()
                    + "' names one of the runner's own queues; choose another node id");
        }
        NodeRegistry.Outcome outcome = registry.record(advert, DatabaseTime.now());
        topology.declareNodeQueue(advert.nodeId());
        LOG.log(Level.DEBUG, "Advert of node {0}: {1}", advert.nodeId(), outcome);
    }
}
