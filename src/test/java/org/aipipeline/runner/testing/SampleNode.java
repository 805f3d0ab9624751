package org.aipipeline.runner.testing;

import java.util.concurrent.CountDownLatch;

/**
 * The original platform's word-processor node ({@code repeat-string}) as a standalone process,
 * for trying the runner by hand (README, "Run your first pipeline"). It speaks the real protocol
 * on the broker given by {@code -Dit.rabbitmq.url} (default the local one, which is also where
 * the runner's embedded broker listens) and re-advertises every 30 seconds, like a real node. It
 * honours CancelPipeline (the {@code pipeline-cancellations} extension): a step of a cancelled
 * pipeline still running is stopped and not reported.
 */
public final class SampleNode {

    private SampleNode() {}

    public static void main(String[] args) throws Exception {
        String nodeId = args.length > 0 ? args[0] : "word-processor";
        try (TestNode node =
                TestNodes.wordProcessor(nodeId).honouringCancellations().start()) {
            node.advertise();
            System.out.println("Node " + nodeId + " is running (procedure repeat-string); Ctrl+C stops it");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            while (!stopped.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                node.advertise();
            }
        }
    }
}
