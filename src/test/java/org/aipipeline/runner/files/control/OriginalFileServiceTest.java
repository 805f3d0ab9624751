package org.aipipeline.runner.files.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.fileservice.RunningFileService;
import org.aipipeline.runner.fileservice.boundary.FileServiceEndpoint;
import org.aipipeline.runner.fileservice.control.FileBlobs;
import org.aipipeline.runner.fileservice.control.FileCatalog;
import org.aipipeline.runner.fileservice.control.FileStore;
import org.aipipeline.runner.fileservice.entity.FileScope;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.UploadFileChunk;
import org.aipipeline.runner.proto.files.UploadFileResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a File Service that has only the original unary rpcs, like the original platform's. */
class OriginalFileServiceTest {

    @TempDir
    Path root;

    /** Answers the streaming rpcs UNIMPLEMENTED, as a server built from the original proto does. */
    static final class UnaryOnlyEndpoint extends FileServiceEndpoint {
        UnaryOnlyEndpoint(FileStore store) {
            super(store, 64 * 1024 * 1024);
        }

        @Override
        public StreamObserver<UploadFileChunk> uploadFileStream(StreamObserver<UploadFileResponse> response) {
            return ServerCalls.asyncUnimplementedStreamingCall(
                    FileServiceInterfaceGrpc.getUploadFileStreamMethod(), response);
        }

        @Override
        public void downloadFileStream(DownloadFileRequest request, StreamObserver<DownloadFileChunk> response) {
            ServerCalls.asyncUnimplementedUnaryCall(FileServiceInterfaceGrpc.getDownloadFileStreamMethod(), response);
        }
    }

    @Test
    void smallFilesGoThroughTheUnaryRpcs() throws Exception {
        FileStore store = new FileStore(
                new FileCatalog(RunningFileService.migratedH2()),
                new FileBlobs(root),
                FileScope.Lifetimes.DEFAULT,
                Clock.systemUTC());
        Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new UnaryOnlyEndpoint(store))
                .build()
                .start();
        FileServiceConnection connection = FileServiceConnection.to(
                "localhost:" + server.getPort(), Duration.ofSeconds(5), Duration.ofSeconds(30));
        FileServiceClient client = FileServiceClient.over(connection);
        try {
            UUID user = UUID.randomUUID();
            byte[] data = {0, 1, 2, (byte) 0xFF};
            StoredFile file = client.upload(
                    user,
                    "small.bin",
                    "application/octet-stream",
                    FileStorageScope.LONG_TERM,
                    Optional.empty(),
                    new ByteArrayInputStream(data),
                    -1);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (FileDownload download = client.download(user, file.id())) {
                assertEquals(file, download.file());
                download.writeTo(out);
            }
            assertArrayEquals(data, out.toByteArray());
        } finally {
            connection.close();
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
