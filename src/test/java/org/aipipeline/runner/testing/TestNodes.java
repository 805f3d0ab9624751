package org.aipipeline.runner.testing;

import java.math.BigInteger;
import java.util.Map;
import org.aipipeline.runner.apscheme.ApInt;
import org.aipipeline.runner.apscheme.ApObject;
import org.aipipeline.runner.apscheme.ApString;

/** The test nodes of the pipeline tests: the original word processor, a describer and a failing node. */
public final class TestNodes {

    /** The original platform's word-processor advert for {@code repeat-string}. */
    public static final String REPEAT_INPUT = """
            {"type":"ApObject","properties":{"inputString":{"type":"ApString","value":""},
             "repetitionCount":{"type":"ApInt","value":""}},"nonRequiredProperties":["repetitionCount"]}""";

    public static final String STRING = "{\"type\":\"ApString\",\"value\":\"\"}";
    public static final String DESCRIPTION = """
            {"type":"ApObject","properties":{"text":{"type":"ApString","value":""},
             "length":{"type":"ApInt","value":0}},"nonRequiredProperties":[]}""";

    private TestNodes() {}

    /** {@code repeat-string}: inputString repeated repetitionCount times (once without a count). */
    public static TestNode wordProcessor(String nodeId) {
        return TestNode.named(nodeId).procedure("repeat-string", REPEAT_INPUT, STRING, input -> {
            ApObject object = (ApObject) input;
            String text = ((ApString) object.property("inputString")).value();
            ApInt count = (ApInt) object.property("repetitionCount");
            int times = count == null || !count.hasValue() ? 1 : count.value().intValueExact();
            return new ApString(text.repeat(times));
        });
    }

    /** {@code describe}: ApString → {text, length}. */
    public static TestNode describer(String nodeId) {
        return TestNode.named(nodeId).procedure("describe", STRING, DESCRIPTION, input -> {
            String text = ((ApString) input).value();
            return ApObject.of(
                    Map.of("text", new ApString(text), "length", new ApInt(BigInteger.valueOf(text.length()))));
        });
    }

    /** {@code explode}: always fails with the given code. */
    public static TestNode failing(String nodeId, int code) {
        return TestNode.named(nodeId).procedure("explode", STRING, STRING, input -> {
            throw new TestNode.Failure(code, "exploded on purpose");
        });
    }
}
