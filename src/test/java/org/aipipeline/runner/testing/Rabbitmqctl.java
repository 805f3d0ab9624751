package org.aipipeline.runner.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands against the local RabbitMQ node, as an operator would: {@code rabbitmqctl} for
 * vhosts and users, and the repository's own scripts that call it. A test that needs it fails
 * (never skips) when it is missing, saying so.
 */
public final class Rabbitmqctl {

    /** What a command printed (standard output and error together) and how it exited. */
    public record Result(int exitCode, String output) {

        public Result orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private Rabbitmqctl() {}

    /** {@code rabbitmqctl args...}; an error if it exits with anything but 0. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        return execute(command, Map.of()).orFail(String.join(" ", command)).output();
    }

    /** Any command (such as a script calling rabbitmqctl) with extra environment variables. */
    public static Result execute(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError(
                    "Cannot run " + command.get(0) + " (" + e.getMessage() + "): this test needs RabbitMQ's "
                            + "rabbitmqctl on the PATH, able to manage the broker at 127.0.0.1:5672 (it creates a vhost and users)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
