package org.aipipeline.runner.pipelines.entity;

import org.aipipeline.runner.platform.entity.JsonCodecs;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.spi.JsonProvider;
import java.util.Map;

/**
 * One JSON-P builder factory for all protocol messages. {@code JsonCodecs.JSON.createObjectBuilder()} looks
 * the provider up (a service-loader scan) on every call, which dominated recording a batch of
 * 10,000 runs; the factory is looked up once.
 */
final class MessageJson {

    static final JsonBuilderFactory BUILDERS = JsonProvider.provider().createBuilderFactory(Map.of());

    private MessageJson() {
    }
}
