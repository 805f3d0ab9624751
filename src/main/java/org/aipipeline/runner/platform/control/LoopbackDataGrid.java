package org.aipipeline.runner.platform.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps Payara Micro's data grid off the network. Payara Micro 6 starts a Hazelcast member even
 * with clustering off ({@code --nocluster}, {@code --nohazelcast}), listening on every interface
 * from port 6900, and ignores {@code --interfaces} then. The runner needs no grid (instances
 * share state through PostgreSQL and RabbitMQ), so before the server boots the microbundle points
 * {@code hazelcast.config} at a configuration that joins nobody and binds 127.0.0.1 only, unless
 * the operator set {@code hazelcast.config} already.
 */
final class LoopbackDataGrid {

    static final String PROPERTY = "hazelcast.config";

    /** No discovery of any kind, one interface, no wildcard bind, no phone-home. */
    static final String CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <hazelcast xmlns="http://www.hazelcast.com/schema/config">
              <properties>
                <property name="hazelcast.socket.bind.any">false</property>
                <property name="hazelcast.phone.home.enabled">false</property>
              </properties>
              <network>
                <port auto-increment="true" port-count="100">6900</port>
                <join>
                  <auto-detection enabled="false"/>
                  <multicast enabled="false"/>
                  <tcp-ip enabled="false"/>
                </join>
                <interfaces enabled="true">
                  <interface>127.0.0.1</interface>
                </interfaces>
              </network>
            </hazelcast>
            """;

    private LoopbackDataGrid() {}

    /** Sets {@value #PROPERTY} to a loopback-only configuration unless it is set; answers the file used, if any. */
    static Path configure() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return null;
        }
        try {
            Path file = Files.createTempFile("runner-datagrid-", ".xml");
            file.toFile().deleteOnExit();
            Files.writeString(file, CONFIG, StandardCharsets.UTF_8);
            System.setProperty(PROPERTY, file.toString());
            return file;
        } catch (IOException e) {
            // Not fatal: the server still starts, with Payara's own (wildcard) grid settings.
            System.err.println("Orchestration Runner: cannot write the loopback data-grid configuration ("
                    + e.getMessage() + "); Payara's data grid will listen on every interface from port 6900");
            return null;
        }
    }
}
