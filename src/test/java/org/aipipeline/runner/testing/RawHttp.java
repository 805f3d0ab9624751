package org.aipipeline.runner.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 exchange over a plain socket, the body written by another thread while the answer
 * is read. For requests a client library will not send as they are, or whose answer it loses: the
 * runner answers an oversized body with 413 before reading it all and closes the connection,
 * which the JDK client reports as an EOF instead of the answer.
 */
public record RawHttp(int status, Map<String, List<String>> headers, String body) {

    /**
     * @param headerLines request headers such as {@code "Authorization: Bearer ..."}; Host and
     *                    Connection are added
     * @param body        null for none; sent with Content-Length, or chunked (no length) if asked
     */
    public static RawHttp exchange(
            URL base, String method, String path, List<String> headerLines, byte[] body, boolean chunked)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method)
                    .append(' ')
                    .append(base.getPath().replaceAll("/$", ""))
                    .append('/')
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(base.getHost())
                    .append(':')
                    .append(base.getPort())
                    .append("\r\nConnection: close\r\n");
            headerLines.forEach(line -> head.append(line).append("\r\n"));
            if (body != null) {
                head.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                    if (body != null) {
                        out.write(chunked ? chunks(body) : body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the runner stopped reading: expected once it has answered 413
                }
            });
            writer.start();
            byte[] answer = socket.getInputStream().readAllBytes();
            writer.join();
            return parse(new String(answer, StandardCharsets.UTF_8));
        }
    }

    /** The body in chunks of 64 KiB, as a client streaming it without knowing its length sends it. */
    private static byte[] chunks(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / 1000 + 16);
        for (int at = 0; at < body.length; at += 65536) {
            int size = Math.min(65536, body.length - at);
            out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static RawHttp parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(
                            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            StringBuilder joined = new StringBuilder();
            for (int at = 0; ; ) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
                if (size == 0) {
                    break;
                }
                joined.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            body = joined.toString();
        }
        return new RawHttp(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    /** The first value of a header (any case). */
    public Optional<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream()
                .findFirst();
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }
}
