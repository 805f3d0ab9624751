package org.aipipeline.runner.fileservice;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.UploadFileChunk;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileResponse;

/** Streaming helpers for tests: deterministic pseudo-random content, hashed on the fly, never held whole. */
public final class Streams {

    static final int CHUNK = 64 * 1024;

    private Streams() {}

    /** Content as a sequence of chunks; the same seed always gives the same bytes. */
    public static Iterator<ByteString> content(long seed, long size) {
        Random random = new Random(seed);
        return new Iterator<>() {
            long left = size;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public ByteString next() {
                byte[] chunk = new byte[(int) Math.min(CHUNK, left)];
                random.nextBytes(chunk);
                left -= chunk.length;
                return ByteString.copyFrom(chunk);
            }
        };
    }

    public static String sha256(Iterator<ByteString> chunks) {
        MessageDigest digest = digest();
        chunks.forEachRemaining(chunk -> digest.update(chunk.asReadOnlyByteBuffer()));
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads with client-side flow control: a chunk is sent only when the transport is ready. */
    public static UploadFileResponse upload(
            FileServiceInterfaceGrpc.FileServiceInterfaceStub stub,
            UploadFileHeader header,
            Iterator<ByteString> chunks)
            throws Exception {
        CompletableFuture<UploadFileResponse> result = new CompletableFuture<>();
        stub.uploadFileStream(new ClientResponseObserver<UploadFileChunk, UploadFileResponse>() {
            private boolean headerSent;
            private boolean completed;

            @Override
            public void beforeStart(ClientCallStreamObserver<UploadFileChunk> requests) {
                requests.setOnReadyHandler(() -> {
                    while (!completed && requests.isReady()) {
                        if (!headerSent) {
                            requests.onNext(UploadFileChunk.newBuilder()
                                    .setHeader(header)
                                    .build());
                            headerSent = true;
                        } else if (chunks.hasNext()) {
                            requests.onNext(UploadFileChunk.newBuilder()
                                    .setData(chunks.next())
                                    .build());
                        } else {
                            requests.onCompleted();
                            completed = true;
                        }
                    }
                });
            }

            @Override
            public void onNext(UploadFileResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        });
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** The data chunks of a streamed download after checking its header. */
    public static Iterator<ByteString> data(Iterator<DownloadFileChunk> chunks) {
        DownloadFileChunk first = chunks.next();
        if (!first.hasFile()) {
            throw new AssertionError("first chunk must be the file's metadata");
        }
        return afterHeader(chunks);
    }

    /** The data chunks of a streamed download whose header was read already. */
    public static Iterator<ByteString> afterHeader(Iterator<DownloadFileChunk> chunks) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public ByteString next() {
                return chunks.next().getData();
            }
        };
    }
}
