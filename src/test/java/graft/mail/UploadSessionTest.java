package graft.mail;

import com.microsoft.graph.core.models.IProgressCallback;
import com.microsoft.graph.core.models.UploadResult;
import com.microsoft.graph.core.tasks.LargeFileUploadTask;
import com.microsoft.graph.models.AttachmentItem;
import com.microsoft.graph.models.AttachmentType;
import com.microsoft.graph.models.FileAttachment;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.attachments.createuploadsession.CreateUploadSessionPostRequestBody;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;

import static graft.testing.TestMail.message;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** Large attachments through upload sessions: the SDK's LargeFileUploadTask and the raw protocol's rules. */
class UploadSessionTest {
    static final int MB = 1024 * 1024;
    static TestServer server;
    static GraphServiceClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = server.graph(server.userToken(ALICE, "Mail.Send Mail.ReadWrite"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static UploadSession session(String messageId, String name, long size) {
        AttachmentItem item = new AttachmentItem();
        item.setAttachmentType(AttachmentType.File);
        item.setName(name);
        item.setSize(size);
        CreateUploadSessionPostRequestBody body = new CreateUploadSessionPostRequestBody();
        body.setAttachmentItem(item);
        return alice.me().messages().byMessageId(messageId).attachments().createUploadSession().post(body);
    }

    static HttpResponse<String> put(String url, byte[] all, int from, int to) {
        return put(server, url, all, from, to);
    }

    static HttpResponse<String> put(TestServer target, String url, byte[] all, int from, int to) {
        return target.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + all.length)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(all, from, to))).build());
    }

    @Test
    void sdkLargeFileUploadTaskUploadsAnAttachmentThatReadsBackIntact() throws Exception {
        Message draft = alice.me().messages().post(message("Big file", BOB));
        byte[] content = bytes(7 * MB + 123);
        UploadSession session = session(draft.getId(), "big.bin", content.length);
        assertThat(session.getNextExpectedRanges()).containsExactly("0-");

        LargeFileUploadTask<AttachmentItem> task = new LargeFileUploadTask<>(alice.getRequestAdapter(), session,
                new ByteArrayInputStream(content), content.length, 3 * MB, AttachmentItem::createFromDiscriminatorValue);
        UploadResult<AttachmentItem> result = task.upload(3, (IProgressCallback) (current, max) -> { });

        assertThat(result.isUploadSuccessful()).isTrue();
        var list = alice.me().messages().byMessageId(draft.getId()).attachments().get().getValue();
        assertThat(list).hasSize(1);
        FileAttachment read = (FileAttachment) alice.me().messages().byMessageId(draft.getId()).attachments()
                .byAttachmentId(list.getFirst().getId()).get();
        assertThat(read.getContentBytes()).isEqualTo(content);
        assertThat(read.getContentType()).isEqualTo("application/octet-stream");
        assertThat(alice.me().messages().byMessageId(draft.getId()).get().getHasAttachments()).isTrue();
    }

    @Test
    void chunksMustComeInOrderAndTheLastOneAnswers201WithLocation() {
        Message draft = alice.me().messages().post(message("Chunks", BOB));
        byte[] content = bytes(4 * MB);
        String url = session(draft.getId(), "report.pdf", content.length).getUploadUrl();

        HttpResponse<String> first = put(url, content, 0, 2 * MB);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"nextExpectedRanges\":[\"" + 2 * MB + "-\"]");
        HttpResponse<String> skipped = put(url, content, 3 * MB, 4 * MB);
        assertThat(skipped.statusCode()).isEqualTo(416);
        assertThat(skipped.body()).contains("\"error\"");
        HttpResponse<String> last = put(url, content, 2 * MB, 4 * MB);
        assertThat(last.statusCode()).isEqualTo(201);
        assertThat(last.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/Attachments('AAMf"));
        assertThat(last.body()).isEmpty();
    }

    @Test
    void uploadUrlNeedsItsTokenAndACancelledSessionIsGone() {
        Message draft = alice.me().messages().post(message("Cancel", BOB));
        String url = session(draft.getId(), "x.bin", 3 * MB + 1).getUploadUrl();
        String withoutToken = url.substring(0, url.indexOf('?'));
        assertThat(put(withoutToken, bytes(3 * MB + 1), 0, MB).statusCode()).isEqualTo(401);

        HttpResponse<String> cancelled = server.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build());
        assertThat(cancelled.statusCode()).isEqualTo(204);
        assertThat(put(url, bytes(3 * MB + 1), 0, MB).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionIdleLongerThanItsLifetimeIsGone() throws Exception {
        try (TestServer shortLived = TestServer.start("mail: { uploadSessionLifetime: PT1S }\n")) {
            String token = shortLived.userToken(ALICE, "Mail.ReadWrite");
            GraphServiceClient graph = shortLived.graph(token);
            Message draft = graph.me().messages().post(message("Expired", BOB));
            HttpResponse<String> created = shortLived.call("POST", "/v1.0/me/messages/" + draft.getId()
                    + "/attachments/createUploadSession", token, "{\"AttachmentItem\":{\"attachmentType\":\"file\","
                    + "\"name\":\"late.bin\",\"size\":" + (3 * MB + 10) + "}}");
            String url = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).path("uploadUrl").asText();
            byte[] content = bytes(3 * MB + 10);
            assertThat(put(shortLived, url, content, 0, MB).statusCode()).isEqualTo(200);

            // A chunk out of order is refused (416) while the session lives, and the session is not found once it
            // has outlived its lifetime without a chunk.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            int status;
            do {
                status = put(shortLived, url, content, 0, MB).statusCode();
            } while (status == 416 && System.nanoTime() < deadline && pause());
            assertThat(status).as("a chunk after the session's lifetime").isEqualTo(404);
            assertThat(graph.me().messages().byMessageId(draft.getId()).attachments().get().getValue()).isEmpty();
        }
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200); // waiting for the clock itself: the session's lifetime has to pass
        return true;
    }

    @Test
    void sessionsForSmallFilesAreRefused() {
        Message draft = alice.me().messages().post(message("Small", BOB));
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/attachments/createUploadSession",
                server.userToken(ALICE, "Mail.ReadWrite"),
                "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"small.txt\",\"size\":1000}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ErrorAttachmentSizeShouldNotBeLessThanMinimumSize");
    }
}
