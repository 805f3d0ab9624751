package org.aipipeline.runner.messaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Placeholder until the in-process broker is decided. */
final class EmbeddedBroker {

    private EmbeddedBroker() {
    }

    static AutoCloseable startIfNothingListens(int port) {
        return null;
    }

    static boolean somethingListens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
