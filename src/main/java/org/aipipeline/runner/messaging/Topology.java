package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchanges, queues and bindings of the node protocol, declared idempotently (all durable,
 * no arguments) plus the runner's dead-letter exchange and queue.
 *
 * <p>Why no {@code x-dead-letter-exchange} on the spec's queues: nodes of the original platform
 * may have declared them already without arguments, and redeclaring a queue with other arguments
 * fails with PRECONDITION_FAILED. {@link Deliveries} dead-letters by republishing instead. For the
 * same reason a queue or exchange that exists with other settings is accepted as it is (checked
 * passively) rather than failing start-up.
 *
 * <p>Declarations go through one long-lived channel so amqp-client's topology recovery can
 * redeclare them on it after a reconnect. A name prefix (empty in production) lets tests run an
 * isolated copy of the topology on a shared broker.
 */
@ApplicationScoped
public class Topology {

    private static final System.Logger LOG = System.getLogger(Topology.class.getName());
    private static final int PRECONDITION_FAILED = 406;

    @Inject
    Broker broker;

    private String prefix = "";
    private final Set<String> declaredNodeQueues = ConcurrentHashMap.newKeySet();
    private volatile boolean declared;
    private Channel channel; // guarded by this

    /** For CDI. */
    protected Topology() {}

    /** For plain use and tests: every exchange and queue name starts with {@code namePrefix}. */
    public Topology(Broker broker, String namePrefix) {
        this.broker = broker;
        this.prefix = namePrefix;
    }

    @PostConstruct
    void init() {
        declareWhenConnected();
    }

    /** Declares everything on every new connection, and forgets node queues after a recovery. */
    public void declareWhenConnected() {
        broker.onConnected(connection -> declareAll());
        broker.onRecovered(declaredNodeQueues::clear);
    }

    public String nodeAdvertisementsExchange() {
        return prefix + "node-advertisements";
    }

    public String nodeAdvertisementsQueue() {
        return prefix + "node-advertisements-queue";
    }

    public String runPipelineExchange() {
        return prefix + "run-pipeline";
    }

    public String completedPipelineStepsExchange() {
        return prefix + "completed-pipeline-steps";
    }

    public String completedPipelineStepsQueue() {
        return prefix + "completed-pipeline-steps-queue";
    }

    public String failedPipelinesExchange() {
        return prefix + "failed-pipelines";
    }

    public String failedPipelinesQueue() {
        return prefix + "failed-pipelines-queue";
    }

    public String deadLetterExchange() {
        return prefix + "runner-dead-letters";
    }

    public String deadLetterQueue() {
        return prefix + "runner-dead-letters-queue";
    }
    /** Runner-internal fanout announcing finished pipelines to every runner instance. */
    public String pipelineFinishedExchange() {
        return prefix + "runner-pipeline-finished";
    }
    /** Extension of the node protocol: CancelPipeline; a node that wants it binds a queue of its own. */
    public String pipelineCancellationsExchange() {
        return prefix + "pipeline-cancellations";
    }

    /** The queue a node consumes its steps from: named exactly the node id. */
    public String nodeQueue(String nodeId) {
        return prefix + nodeId;
    }

    /**
     * Whether a node id would name one of the runner's own queues: declaring and binding it as a
     * node queue would let any node drop steps into it, so such an advert is refused.
     */
    public boolean isRunnerQueue(String nodeId) {
        String queue = nodeQueue(nodeId);
        return queue.equals(nodeAdvertisementsQueue())
                || queue.equals(completedPipelineStepsQueue())
                || queue.equals(failedPipelinesQueue())
                || queue.equals(deadLetterQueue());
    }

    /** The key {@code run-pipeline} routes a node's steps with. */
    public static String nodeRoutingKey(String nodeId) {
        return "run-pipeline." + nodeId;
    }

    /** True once the whole topology was declared on the current connection. */
    public boolean isDeclared() {
        return declared && broker.isConnected();
    }

    /** Declares every exchange, queue and binding of the protocol. Idempotent. */
    public synchronized void declareAll() throws IOException {
        declaredNodeQueues.clear();
        fanout(nodeAdvertisementsExchange(), nodeAdvertisementsQueue());
        exchange(runPipelineExchange(), BuiltinExchangeType.TOPIC);
        fanout(completedPipelineStepsExchange(), completedPipelineStepsQueue());
        fanout(failedPipelinesExchange(), failedPipelinesQueue());
        fanout(deadLetterExchange(), deadLetterQueue());
        // Runner-internal: every instance binds its own exclusive queue to it (awaited runs).
        exchange(pipelineFinishedExchange(), BuiltinExchangeType.FANOUT);
        // No queue of ours: only nodes that honour CancelPipeline bind to it.
        exchange(pipelineCancellationsExchange(), BuiltinExchangeType.FANOUT);
        declared = true;
        LOG.log(Level.INFO, "RabbitMQ topology declared");
    }

    /**
     * Declares the node's queue and binds it to {@code run-pipeline}, so steps sent while the node
     * restarts wait for it. Remembered per connection: a busy platform re-advertises constantly.
     */
    public void declareNodeQueue(String nodeId) throws IOException {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        if (declaredNodeQueues.contains(nodeId)) {
            return;
        }
        synchronized (this) {
            String queue = nodeQueue(nodeId);
            queue(queue);
            channel().queueBind(queue, runPipelineExchange(), nodeRoutingKey(nodeId));
            declaredNodeQueues.add(nodeId);
        }
    }

    private void fanout(String exchange, String queue) throws IOException {
        exchange(exchange, BuiltinExchangeType.FANOUT);
        queue(queue);
        channel().queueBind(queue, exchange, "");
    }

    private void exchange(String name, BuiltinExchangeType type) throws IOException {
        try {
            channel().exchangeDeclare(name, type, true);
        } catch (IOException e) {
            if (!preconditionFailed(e)) {
                throw e;
            }
            channel().exchangeDeclarePassive(name);
            LOG.log(
                    Level.WARNING,
                    "Exchange {0} exists with settings other than durable {1}; using it as it is",
                    name,
                    type.getType());
        }
    }

    private void queue(String name) throws IOException {
        try {
            channel().queueDeclare(name, true, false, false, null);
        } catch (IOException e) {
            if (!preconditionFailed(e)) {
                throw e;
            }
            channel().queueDeclarePassive(name);
            LOG.log(
                    Level.WARNING,
                    "Queue {0} exists with settings other than durable without arguments; " + "using it as it is",
                    name);
        }
    }

    /** The declaring channel, reopened when a failed declaration (or a new connection) closed it. */
    private synchronized Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = broker.openChannel();
        }
        return channel;
    }

    private static boolean preconditionFailed(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == PRECONDITION_FAILED;
    }
}
