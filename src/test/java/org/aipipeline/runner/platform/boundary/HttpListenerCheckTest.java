package org.aipipeline.runner.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpListenerCheckTest {

    @Test
    void readsThePortOfTheHttpListenerWhateverTheAttributeOrder() {
        // as Payara Micro 6.2025.10 writes its live domain.xml after --port 18080
        String live = "<network-listeners>\n"
                + "<network-listener protocol=\"http-listener\" port=\"18080\" name=\"http-listener\" thread-pool=\"http-thread-pool\" transport=\"tcp\">\n"
                + "<network-listener port=\"8443\" protocol=\"https-listener\" transport=\"tcp\" name=\"https-listener\" enabled=\"false\" />\n";
        assertEquals(Optional.of(18080), HttpListenerCheck.portOfHttpListener(live));
        // as shipped inside payara-micro.jar
        String shipped = "<network-listener port=\"8080\" protocol=\"http-listener\" transport=\"tcp\" name=\"http-listener\" "
                + "thread-pool=\"http-thread-pool\" enabled=\"true\" />";
        assertEquals(Optional.of(8080), HttpListenerCheck.portOfHttpListener(shipped));
    }

    @Test
    void noEnabledHttpListenerMeansNothingToCheck() {
        assertEquals(Optional.empty(), HttpListenerCheck.portOfHttpListener(
                "<network-listener port=\"8080\" name=\"http-listener\" enabled=\"false\" />"));
        assertEquals(Optional.empty(), HttpListenerCheck.portOfHttpListener(
                "<network-listener port=\"8080\" name=\"http-listener-1\" />"));
        assertEquals(Optional.empty(), HttpListenerCheck.configuredPort(null));
        assertEquals(Optional.empty(), HttpListenerCheck.configuredPort("/no/such/instance"));
    }
}
