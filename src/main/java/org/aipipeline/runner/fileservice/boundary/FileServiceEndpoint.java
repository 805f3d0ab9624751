package org.aipipeline.runner.fileservice.boundary;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.aipipeline.runner.fileservice.control.FileCatalog;
import org.aipipeline.runner.fileservice.control.FileStore;
import org.aipipeline.runner.fileservice.control.FileStoreException;
import org.aipipeline.runner.fileservice.entity.FileRecord;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.DownloadFileResponse;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetAllFilesResponse;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.proto.files.GetFileByIdResponse;
import org.aipipeline.runner.proto.files.GetFilesByIdsRequest;
import org.aipipeline.runner.proto.files.GetFilesByIdsResponse;
import org.aipipeline.runner.proto.files.Pagination;
import org.aipipeline.runner.proto.files.RemoveFileRequest;
import org.aipipeline.runner.proto.files.RemoveFileResponse;
import org.aipipeline.runner.proto.files.StorageScope;
import org.aipipeline.runner.proto.files.UploadFileChunk;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.aipipeline.runner.proto.files.UploadFileResponse;

/**
 * The File Service's gRPC face. Thin: parse and validate the request, call {@link FileStore},
 * map the answer. Every call is scoped to its {@code user_guid}; another user's file is
 * NOT_FOUND, exactly like a missing one, so ids of other users' files are never confirmed.
 */
public class FileServiceEndpoint extends FileServiceInterfaceGrpc.FileServiceInterfaceImplBase {

    private static final System.Logger LOG = System.getLogger(FileServiceEndpoint.class.getName());

    /** Big enough to amortise per-message cost, small enough that a handful in flight stay cheap. */
    static final int CHUNK_SIZE = 64 * 1024;

    static final int MAX_IDS_PER_REQUEST = 1000;

    private final FileStore store;
    private final int maxMessageBytes;

    /** @param maxMessageBytes the largest message this server sends or accepts; bigger files need the streaming rpcs */
    public FileServiceEndpoint(FileStore store, int maxMessageBytes) {
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void getAllFilesPaginated(GetAllFilesRequest request, StreamObserver<GetAllFilesResponse> response) {
        answer(response, () -> {
            UUID user = WireFormat.uuid("user_guid", request.getUserGuid());
            int number = WireFormat.pageNumber(request.getPageNumber());
            int size = WireFormat.pageSize(request.getPageSize());
            FileCatalog.Slice slice = store.catalog()
                    .page(
                            user,
                            request.hasStorageScopeFilter()
                                    ? WireFormat.scopeFilter(request.getStorageScopeFilter())
                                    : Optional.empty(),
                            number,
                            size);
            long totalPages = (slice.totalCount() + size - 1) / size;
            return GetAllFilesResponse.newBuilder()
                    .addAllItems(slice.items().stream().map(WireFormat::toDto).toList())
                    .setPagination(Pagination.newBuilder()
                            .setPageNumber(number)
                            .setPageSize(size)
                            .setTotalPages(clamp(totalPages))
                            .setTotalCount(clamp(slice.totalCount()))
                            .setHasPreviousPage(number > 1)
                            .setHasNextPage(number < totalPages))
                    .setUserGuid(user.toString())
                    .build();
        });
    }

    @Override
    public void getFileById(GetFileByIdRequest request, StreamObserver<GetFileByIdResponse> response) {
        answer(response, () -> {
            FileRecord file = store.get(
                    WireFormat.uuid("user_guid", request.getUserGuid()),
                    WireFormat.uuid("file_guid", request.getFileGuid()));
            return GetFileByIdResponse.newBuilder()
                    .setFile(WireFormat.toDto(file))
                    .build();
        });
    }

    @Override
    public void getFilesByIds(GetFilesByIdsRequest request, StreamObserver<GetFilesByIdsResponse> response) {
        answer(response, () -> {
            UUID user = WireFormat.uuid("user_guid", request.getUserGuid());
            if (request.getFileGuidsCount() > MAX_IDS_PER_REQUEST) {
                throw FileStoreException.invalid("At most " + MAX_IDS_PER_REQUEST + " file_guids per request");
            }
            Set<UUID> wanted = new LinkedHashSet<>();
            for (String id : request.getFileGuidsList()) {
                wanted.add(WireFormat.uuid("file_guids", id));
            }
            Map<UUID, FileRecord> found = store.catalog().findAll(user, wanted).stream()
                    .collect(Collectors.toMap(FileRecord::fileGuid, Function.identity()));
            if (request.getFailIfNotAllFound() && found.size() < wanted.size()) {
                List<UUID> missing =
                        wanted.stream().filter(id -> !found.containsKey(id)).toList();
                throw new FileStoreException(FileStoreException.Reason.NOT_FOUND, "No files " + missing);
            }
            List<FileRecord> inRequestOrder = new ArrayList<>();
            wanted.stream().map(found::get).filter(f -> f != null).forEach(inRequestOrder::add);
            return GetFilesByIdsResponse.newBuilder()
                    .addAllItems(inRequestOrder.stream().map(WireFormat::toDto).toList())
                    .build();
        });
    }

    @Override
    public void uploadFile(UploadFileRequest request, StreamObserver<UploadFileResponse> response) {
        answer(response, () -> {
            FileStore.NewFile file = newFile(
                    request.getUserGuid(),
                    request.hasFileGuid() ? request.getFileGuid() : null,
                    request.getStorageScope(),
                    request.getContentType(),
                    request.getFileName());
            try (FileStore.Upload upload = store.begin(file)) {
                upload.write(request.getFileData().asReadOnlyByteBuffer());
                return UploadFileResponse.newBuilder()
                        .setFile(WireFormat.toDto(upload.finish()))
                        .build();
            }
        });
    }

    @Override
    public void downloadFile(DownloadFileRequest request, StreamObserver<DownloadFileResponse> response) {
        answer(response, () -> {
            FileRecord file = store.get(
                    WireFormat.uuid("user_guid", request.getUserGuid()),
                    WireFormat.uuid("file_guid", request.getFileGuid()));
            // Leave room for the content type and framing within one message.
            if (file.sizeBytes() > maxMessageBytes - 64 * 1024L) {
                throw new FileStoreException(
                        FileStoreException.Reason.TOO_LARGE,
                        "File " + file.fileGuid() + " has " + file.sizeBytes()
                                + " bytes, too many for one message: use DownloadFileStream");
            }
            try (InputStream in = store.open(file)) {
                return DownloadFileResponse.newBuilder()
                        .setFileData(UnsafeByteOperations.unsafeWrap(in.readAllBytes()))
                        .setContentType(file.contentType())
                        .build();
            } catch (IOException e) {
                throw new FileStoreException(
                        FileStoreException.Reason.INTERNAL, "Could not read file " + file.fileGuid(), e);
            }
        });
    }

    @Override
    public void removeFile(RemoveFileRequest request, StreamObserver<RemoveFileResponse> response) {
        answer(response, () -> {
            store.remove(
                    WireFormat.uuid("user_guid", request.getUserGuid()),
                    WireFormat.uuid("file_guid", request.getFileGuid()));
            return RemoveFileResponse.newBuilder().setSuccess(true).build();
        });
    }

    @Override
    public StreamObserver<UploadFileChunk> uploadFileStream(StreamObserver<UploadFileResponse> response) {
        return new UploadReceiver(response);
    }

    @Override
    public void downloadFileStream(DownloadFileRequest request, StreamObserver<DownloadFileChunk> response) {
        FileRecord file;
        InputStream in;
        try {
            file = store.get(
                    WireFormat.uuid("user_guid", request.getUserGuid()),
                    WireFormat.uuid("file_guid", request.getFileGuid()));
            in = store.open(file);
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
            return;
        }
        DownloadFileChunk header =
                DownloadFileChunk.newBuilder().setFile(WireFormat.toDto(file)).build();
        new DownloadPump((ServerCallStreamObserver<DownloadFileChunk>) response, header, in, CHUNK_SIZE).start();
    }

    private FileStore.NewFile newFile(
            String userGuid, String fileGuid, StorageScope scope, String contentType, String fileName) {
        UUID user = WireFormat.uuid("user_guid", userGuid);
        UUID id = fileGuid == null ? UUID.randomUUID() : WireFormat.uuid("file_guid", fileGuid);
        return new FileStore.NewFile(
                id,
                user,
                WireFormat.scopeOrLongTerm(scope),
                WireFormat.contentType(contentType),
                WireFormat.fileName(fileName, id));
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    static RuntimeException toStatus(Throwable e) {
        if (e instanceof FileStoreException known) {
            if (known.reason() == FileStoreException.Reason.INTERNAL
                    || known.reason() == FileStoreException.Reason.UNAVAILABLE) {
                LOG.log(Level.ERROR, known.getMessage(), known);
            }
            return WireFormat.toStatus(known);
        }
        LOG.log(Level.ERROR, "File Service call failed unexpectedly", e);
        return Status.INTERNAL.withDescription("File Service failed").asRuntimeException();
    }

    private static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    /**
     * One streaming upload: the first chunk must be the header, every later one data. gRPC hands
     * us one message at a time and asks for the next only when {@code onNext} returns, so writing
     * synchronously here is what keeps memory bounded however fast the client sends.
     */
    private final class UploadReceiver implements StreamObserver<UploadFileChunk> {

        private final StreamObserver<UploadFileResponse> response;
        private FileStore.Upload upload;
        private boolean failed;

        UploadReceiver(StreamObserver<UploadFileResponse> response) {
            this.response = response;
        }

        @Override
        public void onNext(UploadFileChunk chunk) {
            if (failed) {
                return;
            }
            try {
                if (upload == null) {
                    if (!chunk.hasHeader()) {
                        throw FileStoreException.invalid("The first chunk of an upload must be its header");
                    }
                    UploadFileHeader header = chunk.getHeader();
                    upload = store.begin(newFile(
                            header.getUserGuid(),
                            header.hasFileGuid() ? header.getFileGuid() : null,
                            header.getStorageScope(),
                            header.getContentType(),
                            header.getFileName()));
                } else if (chunk.hasHeader()) {
                    throw FileStoreException.invalid("Only the first chunk of an upload may be a header");
                } else {
                    upload.write(chunk.getData().asReadOnlyByteBuffer());
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            // The client gave up or the connection broke: drop what arrived.
            discard();
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (upload == null) {
                fail(FileStoreException.invalid("An upload needs a header chunk"));
                return;
            }
            UploadFileResponse answer;
            try {
                answer = UploadFileResponse.newBuilder()
                        .setFile(WireFormat.toDto(upload.finish()))
                        .build();
            } catch (RuntimeException e) {
                fail(e);
                return;
            } finally {
                discard();
            }
            response.onNext(answer);
            response.onCompleted();
        }

        private void fail(RuntimeException e) {
            failed = true;
            discard();
            response.onError(toStatus(e));
        }

        private void discard() {
            if (upload != null) {
                upload.close();
            }
        }
    }
}
