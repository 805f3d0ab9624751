package org.aipipeline.runner.files.control;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The runner's one channel to the File Service, embedded or external (as the injected
 * {@link FileServiceChannel} says), from start-up to undeploy, and every call on it: a call has
 * {@code files.service.deadline}, a transfer {@code files.service.transfer-deadline}, and a
 * failure becomes a {@link RunnerException} kind ({@link FileServiceStatus}). No Fault Tolerance
 * here: that is {@link FileServiceClient}'s, so the readiness probe ({@link #problem}) never
 * trips the circuit breaker.
 */
@ApplicationScoped
public class FileServiceConnection {

    private static final System.Logger LOG = System.getLogger(FileServiceConnection.class.getName());

    @Inject
    @ConfigProperty(name = "files.service.deadline")
    Duration deadline;

    @Inject
    @ConfigProperty(name = "files.service.transfer-deadline")
    Duration transferDeadline;

    @Inject
    @ConfigProperty(name = "files.service.max-message-size")
    int maxMessageBytes;

    @Inject
    Instance<FileServiceChannel> fileService;

    private ManagedChannel channel;

    protected FileServiceConnection() {
        // for CDI
    }

    /** A connection outside CDI (tests, tools). */
    public static FileServiceConnection to(FileServiceChannel channel, Duration deadline, Duration transferDeadline) {
        FileServiceConnection connection = new FileServiceConnection();
        connection.deadline = deadline;
        connection.transferDeadline = transferDeadline;
        connection.maxMessageBytes = 256 * 1024 * 1024;
        connection.connect(channel);
        return connection;
    }

    /** The same, plaintext and without a token. */
    public static FileServiceConnection to(String target, Duration deadline, Duration transferDeadline) {
        return to(FileServiceChannel.plaintext(target), deadline, transferDeadline);
    }

    @PostConstruct
    void connect() {
        connect(fileService.get());
    }

    private void connect(FileServiceChannel to) {
        // Plaintext without a token unless configured (files.service.token, files.service.tls.*):
        // what the original platform's File Service and nodes speak.
        channel = to.open(maxMessageBytes);
        LOG.log(Level.INFO, "File Service client for {0}", to);
    }

    @PreDestroy
    public void close() {
        channel.shutdownNow();
    }

    /** A stub for one call, with the call deadline. */
    public FileServiceInterfaceGrpc.FileServiceInterfaceBlockingStub stub() {
        return FileServiceInterfaceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A stub for a streamed download, with the transfer deadline. */
    public FileServiceInterfaceGrpc.FileServiceInterfaceBlockingStub transferStub() {
        return FileServiceInterfaceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(transferDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An asynchronous stub for a streamed upload, with the transfer deadline. */
    public FileServiceInterfaceGrpc.FileServiceInterfaceStub uploadStub() {
        return FileServiceInterfaceGrpc.newStub(channel)
                .withDeadlineAfter(transferDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Duration transferDeadline() {
        return transferDeadline;
    }

    /** One gRPC call, whose failure is translated. */
    public interface GrpcCall<T> {
        T run();
    }

    public <T> T call(GrpcCall<T> call) {
        try {
            return call.run();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    public RunnerException translate(StatusRuntimeException e) {
        resetBackoffIfUnavailable(e.getStatus());
        return FileServiceStatus.translate(e.getStatus());
    }

    /** For the readiness check: one cheap call, without Fault Tolerance; empty when it worked. */
    public Optional<String> problem(Duration within) {
        try {
            FileServiceInterfaceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS)
                    .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                            .setUserGuid(new UUID(0, 0).toString())
                            .setPageNumber(1)
                            .setPageSize(1)
                            .build());
            return Optional.empty();
        } catch (StatusRuntimeException e) {
            resetBackoffIfUnavailable(e.getStatus());
            return Optional.of(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
    }

    /**
     * After a failed connection gRPC waits ever longer (up to minutes) before trying again; a
     * File Service that came back should be used at once, so the next call reconnects now.
     */
    private void resetBackoffIfUnavailable(Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            channel.resetConnectBackoff();
        }
    }
}
