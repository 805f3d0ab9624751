package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class LoopbackDataGridTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(LoopbackDataGrid.PROPERTY);
        System.clearProperty(LoopbackDataGrid.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LoopbackDataGrid.PROPERTY);
        } else {
            System.setProperty(LoopbackDataGrid.PROPERTY, before);
        }
    }

    @Test
    void pointsHazelcastAtALoopbackOnlyConfigurationThatJoinsNobody() throws Exception {
        Path file = LoopbackDataGrid.configure();

        assertEquals(file.toString(), System.getProperty(LoopbackDataGrid.PROPERTY));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document config = factory.newDocumentBuilder().parse(file.toFile());
        var xpath = XPathFactory.newInstance().newXPath();
        assertEquals(
                "127.0.0.1",
                xpath.evaluate(
                        "/*[local-name()='hazelcast']/*[local-name()='network']"
                                + "/*[local-name()='interfaces'][@enabled='true']/*[local-name()='interface']",
                        config));
        assertEquals(
                "false", xpath.evaluate("//*[local-name()='property'][@name='hazelcast.socket.bind.any']", config));
        for (String join : new String[] {"auto-detection", "multicast", "tcp-ip"}) {
            assertEquals(
                    "false",
                    xpath.evaluate("//*[local-name()='join']/*[local-name()='" + join + "']/@enabled", config),
                    join);
        }
        Files.deleteIfExists(file);
    }

    @Test
    void leavesAnOperatorsOwnConfigurationAlone() {
        System.setProperty(LoopbackDataGrid.PROPERTY, "/etc/runner/hazelcast.xml");

        assertNull(LoopbackDataGrid.configure());
        assertEquals("/etc/runner/hazelcast.xml", System.getProperty(LoopbackDataGrid.PROPERTY));
    }
}
