package org.aipipeline.runner.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A multipart/form-data body as a browser or curl would send it, built by hand so tests control
 * every byte (a missing Content-Type, a raw UTF-8 file name) and can stream file content of any
 * size without holding it.
 */
public final class Multipart {

    private final String boundary = "----test-" + UUID.randomUUID();
    private final List<Supplier<InputStream>> pieces = new ArrayList<>();
    private long length;

    public Multipart field(String name, String value) {
        return bytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** A file part; {@code contentType} null sends no Content-Type header. */
    public Multipart file(String name, String fileName, String contentType, byte[] content) {
        return file(name, fileName, contentType, content.length, () -> new ByteArrayInputStream(content));
    }

    /** A file part of {@code size} bytes read from {@code content} only while the body is sent. */
    public Multipart file(String name, String fileName, String contentType, long size, Supplier<InputStream> content) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"")
                .getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(fileName.getBytes(StandardCharsets.UTF_8));
        head.writeBytes(("\"\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        bytes(head.toByteArray());
        pieces.add(content);
        length += size;
        return bytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public long length() {
        return length + closing().length;
    }

    /** The body with its exact Content-Length; content is read as the client sends it. */
    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(this::stream), length());
    }

    public InputStream stream() {
        List<InputStream> streams = new ArrayList<>();
        pieces.forEach(p -> streams.add(p.get()));
        streams.add(new ByteArrayInputStream(closing()));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private byte[] closing() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Multipart bytes(byte[] bytes) {
        pieces.add(() -> new ByteArrayInputStream(bytes));
        length += bytes.length;
        return this;
    }
}
