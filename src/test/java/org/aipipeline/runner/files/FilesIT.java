package org.aipipeline.runner.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Multipart;
import org.aipipeline.runner.testing.Session;
import org.junit.jupiter.api.Test;

/**
 * The Files API against the built WAR with its embedded File Service, over REST and over raw
 * gRPC. The runner is started with {@code FILES_UPLOAD_MAX_SIZE} = 210 MiB (see the failsafe
 * configuration) so that one run covers both the 200 MiB transfer and the 413, and with
 * {@code FILES_SERVICE_TOKEN}, so every call of its client carries the token and raw calls must too.
 *
 * <p>Not here: the File Service being down (503 at once, then recovering) needs a File Service
 * outside the runner's JVM and is covered by {@code FileServiceClientTest}; the expiry sweep by
 * {@code FileServiceEndpointTest}.
 */
class FilesIT extends DeployedRunner {

    static final long MAX_UPLOAD = 210L * 1024 * 1024;
    static final String TOKEN = System.getProperty("it.files.token", "");
    // HTTP/1.1 like curl and browsers on http://: the JDK client's default h2c upgrade against
    // Payara's listener ends streamed responses with RST_STREAM (a Grizzly HTTP/2 matter, not ours).
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    static final Pattern USED_HEAP =
            Pattern.compile("^(?:base_)?memory_usedHeap_bytes(?:\\{[^}]*\\})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);

    // ---- the basic life cycle ---------------------------------------------------------------

    @Test
    void uploadListGetDownloadDelete() throws Exception {
        Session me = Session.register(api);
        byte[] content = "name,score\nada,3\n".getBytes();
        Api.Reply uploaded = upload(
                me,
                new Multipart().file("file", "scores.csv", "text/csv", content).field("storageScope", "ShortTerm"));
        assertEquals(201, uploaded.status(), uploaded.toString());
        JsonObject file = uploaded.json().getJsonObject("file");
        assertEquals(
                Set.of(
                        "id",
                        "userId",
                        "fileName",
                        "fileStorageScope",
                        "contentType",
                        "sizeBytes",
                        "storageProvider",
                        "path",
                        "createdAt"),
                file.keySet());
        String id = file.getString("id");
        assertEquals(me.userId().toString(), file.getString("userId"));
        assertEquals("scores.csv", file.getString("fileName"));
        assertEquals("ShortTerm", file.getString("fileStorageScope"));
        assertEquals("text/csv", file.getString("contentType"));
        assertEquals(content.length, file.getJsonNumber("sizeBytes").longValue());
        assertEquals("filesystem", file.getString("storageProvider"));
        assertTrue(file.getString("path").startsWith("short-term-files/" + id), file.toString());
        assertTrue(file.getString("createdAt").endsWith("Z"), file.toString());
        assertTrue(uploaded.header("Location").orElseThrow().endsWith("/api/v1/Files/" + id));

        Api.Reply listed = api.get("api/v1/Files", me.bearer());
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(1, listed.json().getJsonArray("items").size());
        assertEquals(file, listed.json().getJsonArray("items").getJsonObject(0));
        assertEquals(1, listed.json().getJsonObject("pagination").getInt("totalCount"));

        Api.Reply got = api.get("api/v1/Files/" + id, me.bearer());
        assertEquals(200, got.status(), got.toString());
        assertEquals(file, got.json().getJsonObject("file"));

        HttpResponse<byte[]> download = download(me, id);
        assertEquals(200, download.statusCode());
        assertArrayEquals(content, download.body());
        assertEquals("text/csv", download.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "attachment; filename=\"scores.csv\"",
                download.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals(
                String.valueOf(content.length),
                download.headers().firstValue("Content-Length").orElseThrow());

        assertEquals(204, api.delete("api/v1/Files/" + id, me.bearer()).status());
        assertEquals(404, api.get("api/v1/Files/" + id, me.bearer()).status());
        assertEquals(404, download(me, id).statusCode());
        assertEquals(404, api.delete("api/v1/Files/" + id, me.bearer()).status());
        assertEquals(
                0,
                api.get("api/v1/Files", me.bearer())
                        .json()
                        .getJsonArray("items")
                        .size());
    }

    @Test
    void aRandomBinaryFileRoundTripsByteForByte() throws Exception {
        Session me = Session.register(api);
        // Over the client's 1 MiB unary limit, so the streaming rpcs carry it.
        byte[] content = new byte[3 * 1024 * 1024 + 1234];
        new Random(42).nextBytes(content);
        Api.Reply uploaded = upload(me, new Multipart().file("file", "blob.bin", "application/x-custom", content));
        assertEquals(201, uploaded.status(), uploaded.toString());
        JsonObject file = uploaded.json().getJsonObject("file");
        assertEquals("LongTerm", file.getString("fileStorageScope"));
        assertEquals(content.length, file.getJsonNumber("sizeBytes").longValue());
        HttpResponse<byte[]> download = download(me, file.getString("id"));
        assertEquals(200, download.statusCode());
        assertEquals(
                "application/x-custom",
                download.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(content, download.body());
    }

    @Test
    void anEmptyFileIsStoredAndDownloadedEmpty() throws Exception {
        Session me = Session.register(api);
        Api.Reply uploaded = upload(me, new Multipart().file("file", "empty.txt", "text/plain", new byte[0]));
        assertEquals(201, uploaded.status(), uploaded.toString());
        assertEquals(
                0,
                uploaded.json().getJsonObject("file").getJsonNumber("sizeBytes").longValue());
        HttpResponse<byte[]> download =
                download(me, uploaded.json().getJsonObject("file").getString("id"));
        assertEquals(200, download.statusCode());
        assertEquals(0, download.body().length);
        assertEquals("0", download.headers().firstValue("Content-Length").orElseThrow());
    }

    // ---- 200 MiB without the heap growing -------------------------------------------------

    @Test
    void twoHundredMebibytesStreamThroughWithoutTheHeapGrowing() throws Exception {
        Session me = Session.register(api);
        long size = 200L * 1024 * 1024;
        HeapWatch heap = new HeapWatch();
        long baseline = heap.start();
        try {
            RandomContent sent = new RandomContent(size, 7);
            Multipart form = new Multipart().file("file", "big.bin", "application/octet-stream", size, () -> sent);
            HttpResponse<String> uploaded = HTTP.send(
                    HttpRequest.newBuilder(api.uri("api/v1/Files/Upload"))
                            .timeout(Duration.ofMinutes(5))
                            .header("Authorization", me.bearer())
                            .header("Content-Type", form.contentType())
                            .POST(form.publisher())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, uploaded.statusCode(), uploaded.body());
            String id =
                    new Api.Reply(201, uploaded).json().getJsonObject("file").getString("id");
            assertEquals(
                    size,
                    new Api.Reply(201, uploaded)
                            .json()
                            .getJsonObject("file")
                            .getJsonNumber("sizeBytes")
                            .longValue());

            HttpResponse<InputStream> download = HTTP.send(
                    HttpRequest.newBuilder(api.uri("api/v1/Files/" + id + "/Download"))
                            .timeout(Duration.ofMinutes(5))
                            .header("Authorization", me.bearer())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            assertEquals(
                    String.valueOf(size),
                    download.headers().firstValue("Content-Length").orElseThrow());
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = in.read(buffer)) > 0; count += read) {
                    received.update(buffer, 0, read);
                }
            }
            assertEquals(size, count);
            assertArrayEquals(sent.digest(), received.digest(), "the downloaded bytes differ from the uploaded ones");
        } finally {
            heap.stop();
        }
        long growth = heap.peak() - baseline;
        System.out.printf(
                "[FilesIT] runner heap: baseline %d MiB, peak %d MiB during 200 MiB up+down (%d samples), growth %d MiB%n",
                baseline >> 20, heap.peak() >> 20, heap.samples(), growth >> 20);
        // A generous bound: buffering the file even once would add its 200 MiB to the live heap,
        // on top of the garbage the transfer makes anyway (freed by the next young collection).
        assertTrue(growth < 190L * 1024 * 1024, "runner heap grew by " + (growth >> 20) + " MiB");
    }

    // ---- pagination and scopes --------------------------------------------------------------

    @Test
    void listsArePagedAndFilteredByScope() throws Exception {
        Session me = Session.register(api);
        for (String scope : List.of("LongTerm", "LongTerm", "Temporary", "ShortTerm", "temporary")) {
            Api.Reply r = upload(
                    me,
                    new Multipart()
                            .file("file", scope + ".txt", "text/plain", scope.getBytes())
                            .field("storageScope", scope));
            assertEquals(201, r.status(), r.toString());
        }
        JsonObject first = api.get("api/v1/Files?pageSize=2", me.bearer()).json();
        assertEquals(2, first.getJsonArray("items").size());
        JsonObject pagination = first.getJsonObject("pagination");
        assertEquals(1, pagination.getInt("pageNumber"));
        assertEquals(2, pagination.getInt("pageSize"));
        assertEquals(5, pagination.getInt("totalCount"));
        assertEquals(3, pagination.getInt("totalPages"));
        assertTrue(pagination.getBoolean("hasNextPage"));
        assertFalse(pagination.getBoolean("hasPreviousPage"));
        JsonObject last =
                api.get("api/v1/Files?pageSize=2&pageNumber=3", me.bearer()).json();
        assertEquals(1, last.getJsonArray("items").size());
        assertFalse(last.getJsonObject("pagination").getBoolean("hasNextPage"));
        assertTrue(last.getJsonObject("pagination").getBoolean("hasPreviousPage"));

        JsonObject temporary =
                api.get("api/v1/Files?storageScope=Temporary", me.bearer()).json();
        assertEquals(2, temporary.getJsonObject("pagination").getInt("totalCount"));
        assertTrue(temporary.getJsonArray("items").stream()
                .allMatch(f -> f.asJsonObject().getString("fileStorageScope").equals("Temporary")));
        assertEquals(
                1,
                api.get("api/v1/Files?storageScope=ShortTerm", me.bearer())
                        .json()
                        .getJsonObject("pagination")
                        .getInt("totalCount"));

        Api.Reply bogus = api.get("api/v1/Files?storageScope=Forever", me.bearer());
        assertEquals(400, bogus.status(), bogus.toString());
        assertTrue(bogus.body().contains("LongTerm, ShortTerm, Temporary"), bogus.body());
        assertEquals(400, api.get("api/v1/Files?pageSize=0", me.bearer()).status());
        assertEquals(400, api.get("api/v1/Files?pageNumber=x", me.bearer()).status());
    }

    // ---- isolation --------------------------------------------------------------------------

    @Test
    void anotherUsersFileIsNotFoundOverRestAndOverGrpc() throws Exception {
        Session owner = Session.register(api);
        Session other = Session.register(api);
        String id = upload(owner, new Multipart().file("file", "secret.txt", "text/plain", "mine".getBytes()))
                .json()
                .getJsonObject("file")
                .getString("id");

        assertEquals(404, api.get("api/v1/Files/" + id, other.bearer()).status());
        assertEquals(404, download(other, id).statusCode());
        assertEquals(404, api.delete("api/v1/Files/" + id, other.bearer()).status());
        assertEquals(
                0,
                api.get("api/v1/Files", other.bearer())
                        .json()
                        .getJsonArray("items")
                        .size());
        assertEquals(
                200, api.get("api/v1/Files/" + id, owner.bearer()).status(), "the owner's file must still be there");

        ManagedChannel channel = grpcChannel();
        try {
            var stub = FileServiceInterfaceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertEquals(
                    id,
                    stub.getFileById(GetFileByIdRequest.newBuilder()
                                    .setFileGuid(id)
                                    .setUserGuid(owner.userId().toString())
                                    .build())
                            .getFile()
                            .getFileGuid());
            assertGrpcNotFound(() -> stub.getFileById(GetFileByIdRequest.newBuilder()
                    .setFileGuid(id)
                    .setUserGuid(other.userId().toString())
                    .build()));
            assertGrpcNotFound(() -> stub.downloadFile(DownloadFileRequest.newBuilder()
                    .setFileGuid(id)
                    .setUserGuid(other.userId().toString())
                    .build()));
            assertEquals(
                    0,
                    stub.getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                    .setUserGuid(other.userId().toString())
                                    .setPageNumber(1)
                                    .setPageSize(10)
                                    .build())
                            .getItemsCount());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void deletingAUserDeletesTheirFiles() throws Exception {
        Session me = Session.register(api);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    201,
                    upload(me, new Multipart().file("file", "f" + i, "text/plain", ("x" + i).getBytes()))
                            .status());
        }
        Api.Reply deleted = api.delete("api/v1/Users/" + me.userId(), me.bearer());
        assertEquals(204, deleted.status(), deleted.toString());
        ManagedChannel channel = grpcChannel();
        try {
            var files = FileServiceInterfaceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                            .setUserGuid(me.userId().toString())
                            .setPageNumber(1)
                            .setPageSize(10)
                            .build());
            assertEquals(0, files.getItemsCount(), "files of the deleted user remain: " + files);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aGrpcCallWithoutTheFileServiceTokenIsRefused() throws Exception {
        assertFalse(TOKEN.isBlank(), "the ITs run the runner with FILES_SERVICE_TOKEN (it.files.token in pom.xml)");
        Session me = Session.register(api);
        String id = upload(me, new Multipart().file("file", "mine.txt", "text/plain", "mine".getBytes()))
                .json()
                .getJsonObject("file")
                .getString("id");
        GetFileByIdRequest request = GetFileByIdRequest.newBuilder()
                .setFileGuid(id)
                .setUserGuid(me.userId().toString())
                .build();

        for (FileServiceChannel stranger :
                List.of(grpcTarget(), grpcTarget().withToken(BearerToken.configured(TOKEN + "x", null)))) {
            ManagedChannel channel = stranger.open(1024 * 1024);
            try {
                StatusRuntimeException refused = assertThrows(
                        StatusRuntimeException.class,
                        () -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .getFileById(request));
                assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.toString());
            } finally {
                channel.shutdownNow();
            }
        }
        // the runner itself, which sends the token, still serves the file
        assertEquals(200, api.get("api/v1/Files/" + id, me.bearer()).status());
        assertEquals("UP", fileServiceCheck().getString("status"));
    }

    @Test
    void everyRouteNeedsAuthentication() {
        assertEquals(401, api.get("api/v1/Files", null).status());
        assertEquals(401, api.get("api/v1/Files/" + UUID.randomUUID(), null).status());
        assertEquals(
                401,
                api.send(api.request("api/v1/Files/Upload", null)
                                .header("Content-Type", "multipart/form-data; boundary=x")
                                .POST(HttpRequest.BodyPublishers.ofString("--x--\r\n")))
                        .status());
    }

    // ---- bad input --------------------------------------------------------------------------

    @Test
    void malformedIdsAreBadRequests() {
        Session me = Session.register(api);
        assertEquals(400, api.get("api/v1/Files/not-a-uuid", me.bearer()).status());
        assertEquals(
                400, api.get("api/v1/Files/not-a-uuid/Download", me.bearer()).status());
        assertEquals(400, api.delete("api/v1/Files/12345", me.bearer()).status());
    }

    @Test
    void uploadFormErrorsNameTheirFields() throws Exception {
        Session me = Session.register(api);
        Api.Reply noFile = upload(me, new Multipart().field("storageScope", "LongTerm"));
        assertEquals(422, noFile.status(), noFile.toString());
        assertEquals(
                "file", noFile.json().getJsonArray("errors").getJsonObject(0).getString("field"));
        assertTrue(noFile.contentType().startsWith("application/problem+json"), noFile.contentType());

        Api.Reply bad = upload(
                me,
                new Multipart()
                        .file("file", "a.txt", "text/plain", "a".getBytes())
                        .field("id", "nope")
                        .field("storageScope", "Forever"));
        assertEquals(422, bad.status(), bad.toString());
        assertEquals(
                Set.of("id", "storageScope"),
                bad.json().getJsonArray("errors").stream()
                        .map(e -> e.asJsonObject().getString("field"))
                        .collect(Collectors.toSet()));
        assertTrue(bad.body().contains("LongTerm, ShortTerm, Temporary"), bad.body());

        Api.Reply notMultipart = api.post("api/v1/Files/Upload", me.bearer(), "{}");
        assertEquals(415, notMultipart.status(), notMultipart.toString());
        assertEquals(
                0,
                api.get("api/v1/Files", me.bearer())
                        .json()
                        .getJsonArray("items")
                        .size());
    }

    @Test
    void aGivenIdIsKeptAndCannotBeUsedTwice() throws Exception {
        Session me = Session.register(api);
        UUID id = UUID.randomUUID();
        Api.Reply first = upload(
                me,
                new Multipart()
                        .file("file", "a.txt", "text/plain", "a".getBytes())
                        .field("id", id.toString()));
        assertEquals(201, first.status(), first.toString());
        assertEquals(id.toString(), first.json().getJsonObject("file").getString("id"));
        Api.Reply again = upload(
                me,
                new Multipart()
                        .file("file", "b.txt", "text/plain", "b".getBytes())
                        .field("id", id.toString()));
        assertEquals(409, again.status(), again.toString());
        // Not even another user may take it: ids are global.
        Api.Reply other = upload(
                Session.register(api),
                new Multipart()
                        .file("file", "c.txt", "text/plain", "c".getBytes())
                        .field("id", id.toString()));
        assertEquals(409, other.status(), other.toString());
    }

    // ---- size limit -------------------------------------------------------------------------

    @Test
    void aDeclaredOversizeUploadIsRefusedUpFront() throws Exception {
        Session me = Session.register(api);
        long size = MAX_UPLOAD + 1024 * 1024;
        AtomicLong readByClient = new AtomicLong();
        RandomContent body = new RandomContent(size, 1) {
            @Override
            public int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                readByClient.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        Multipart form = new Multipart().file("file", "huge.bin", "application/octet-stream", size, () -> body);
        long start = System.nanoTime();
        HttpResponse<String> reply = HTTP.send(
                HttpRequest.newBuilder(api.uri("api/v1/Files/Upload"))
                        .timeout(Duration.ofMinutes(2))
                        .expectContinue(true)
                        .header("Authorization", me.bearer())
                        .header("Content-Type", form.contentType())
                        .POST(form.publisher())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        // How much the client wrote is not a measure of what the runner read: Grizzly answers
        // "100 Continue" itself, so the JDK client sends on into the socket until it sees the 413.
        System.out.printf(
                "[FilesIT] declared oversize refused after %d ms, client wrote %d KiB%n",
                (System.nanoTime() - start) / 1_000_000, readByClient.get() >> 10);
    }

    @Test
    void aFileOneByteOverTheLimitIsRefusedAndNothingRemains() throws Exception {
        Session me = Session.register(api);
        long size = MAX_UPLOAD + 1;
        Multipart form = new Multipart()
                .file("file", "over.bin", "application/octet-stream", size, () -> new RandomContent(size, 3));
        HttpResponse<String> reply = HTTP.send(
                HttpRequest.newBuilder(api.uri("api/v1/Files/Upload"))
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", me.bearer())
                        .header("Content-Type", form.contentType())
                        .POST(form.publisher())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, reply.statusCode(), reply.body());
        assertEquals(
                0,
                api.get("api/v1/Files", me.bearer())
                        .json()
                        .getJsonObject("pagination")
                        .getInt("totalCount"));
    }

    // ---- content type and name --------------------------------------------------------------

    @Test
    void theContentTypeIsSniffedWhenThePartGivesNone() throws Exception {
        Session me = Session.register(api);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertEquals(
                "image/png",
                upload(me, new Multipart().file("file", "a", null, png))
                        .json()
                        .getJsonObject("file")
                        .getString("contentType"));
        assertEquals(
                "application/pdf",
                upload(me, new Multipart().file("file", "b", "application/octet-stream", "%PDF-1.4\n".getBytes()))
                        .json()
                        .getJsonObject("file")
                        .getString("contentType"));
        assertEquals(
                "application/json",
                upload(me, new Multipart().file("file", "c", null, "{\"a\":1}".getBytes()))
                        .json()
                        .getJsonObject("file")
                        .getString("contentType"));
        assertEquals(
                "image/jpeg",
                upload(me, new Multipart().file("file", "d.png", "image/jpeg", png))
                        .json()
                        .getJsonObject("file")
                        .getString("contentType"),
                "a declared type wins");
    }

    @Test
    void aNonAsciiFileNameSurvivesUploadAndDownload() throws Exception {
        Session me = Session.register(api);
        Api.Reply uploaded = upload(me, new Multipart().file("file", "Grüße ✓.txt", "text/plain", "hi".getBytes()));
        assertEquals(201, uploaded.status(), uploaded.toString());
        JsonObject file = uploaded.json().getJsonObject("file");
        assertEquals("Grüße ✓.txt", file.getString("fileName"));
        String disposition = download(me, file.getString("id"))
                .headers()
                .firstValue("Content-Disposition")
                .orElseThrow();
        assertEquals(
                "attachment; filename=\"Gr__e _.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E2%9C%93.txt", disposition);
    }

    // ---- health -----------------------------------------------------------------------------

    @Test
    void readinessIncludesTheFileService() {
        JsonObject check = fileServiceCheck();
        assertEquals("UP", check.getString("status"), check.toString());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Api.Reply upload(Session session, Multipart form) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                api.request("api/v1/Files/Upload", session.bearer())
                        .header("Content-Type", form.contentType())
                        .POST(form.publisher())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Api.Reply(response.statusCode(), response);
    }

    private HttpResponse<byte[]> download(Session session, String id) throws IOException, InterruptedException {
        return HTTP.send(
                api.request("api/v1/Files/" + id + "/Download", session.bearer())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonObject fileServiceCheck() {
        Api.Reply ready = api.get("health/ready", null);
        return ready.json().getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("file-service"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no file-service check in " + ready));
    }

    /**
     * The embedded File Service's port is random in the ITs; its readiness check names the address.
     * The channel sends the token the ITs configure (FILES_SERVICE_TOKEN, see the failsafe configuration).
     */
    private ManagedChannel grpcChannel() {
        return grpcTarget().withToken(BearerToken.configured(TOKEN, null)).open(1024 * 1024);
    }

    private FileServiceChannel grpcTarget() {
        return FileServiceChannel.plaintext(
                fileServiceCheck().getJsonObject("data").getString("address"));
    }

    private static void assertGrpcNotFound(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.toString());
            return;
        }
        throw new AssertionError("expected NOT_FOUND");
    }

    /** {@code size} seeded pseudo-random bytes made as they are read, with the SHA-256 of what was read. */
    static class RandomContent extends InputStream {
        private final Random random;
        private final MessageDigest digest;
        private long remaining;

        RandomContent(long size, long seed) {
            this.remaining = size;
            this.random = new Random(seed);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }

        byte[] digest() {
            return digest.digest();
        }
    }

    /** Samples the runner's used heap from MicroProfile Metrics while a test runs. */
    class HeapWatch {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private Thread sampler;

        long start() {
            long baseline = usedHeap();
            peak.set(baseline);
            running.set(true);
            sampler = new Thread(
                    () -> {
                        while (running.get()) {
                            peak.accumulateAndGet(usedHeap(), Math::max);
                            samples.incrementAndGet();
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
            return baseline;
        }

        void stop() throws InterruptedException {
            running.set(false);
            sampler.join(5000);
            peak.accumulateAndGet(usedHeap(), Math::max);
        }

        long peak() {
            return peak.get();
        }

        long samples() {
            return samples.get();
        }

        private long usedHeap() {
            for (String path : List.of("metrics/base", "metrics?scope=base")) {
                Api.Reply reply = api.send(
                        api.request(path, null).header("Accept", "text/plain").GET());
                Matcher m = USED_HEAP.matcher(reply.body());
                if (reply.status() == 200 && m.find()) {
                    return (long) Double.parseDouble(m.group(1));
                }
            }
            throw new UncheckedIOException(new IOException("no memory_usedHeap_bytes in the runner's metrics"));
        }
    }
}
