package org.aipipeline.runner.messaging;

/**
 * The broker did not take responsibility for a message: no connection, a nack, no confirm within
 * the timeout, or the channel closed underneath. The message may or may not have been routed, so
 * a caller that retries must tolerate a duplicate (every consumer of the protocol does).
 */
public class PublishFailed extends RuntimeException {

    public PublishFailed(String message) {
        super(message);
    }

    public PublishFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
