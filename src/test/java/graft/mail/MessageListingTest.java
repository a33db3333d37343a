package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.Importance;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.UserItemRequestBuilder;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import graft.testing.TestMail;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static graft.testing.TestServer.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listing messages per folder and mailbox-wide: paging, $select, $count, $orderby and $filter. */
class MessageListingTest {
    static final int DRAFTS = 13;
    static final int RECEIVED = 3;
    static TestServer server;
    static String token;
    static GraphServiceClient app;
    static UserItemRequestBuilder carol;
    /** Carol's whole mailbox, as the server lists it without options other than $top. */
    static List<Message> all;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        token = server.appToken();
        app = server.graph(token);
        carol = app.users().byUserId(CAROL);
        String[] importance = {"low", "normal", "high"};
        for (int i = 1; i <= 12; i++) {
            Message m = TestMail.message("Draft %02d".formatted(i), BOB);
            m.setImportance(Importance.forValue(importance[i % 3]));
            m.setIsRead(i % 2 == 0);
            carol.messages().post(m);
        }
        carol.messages().post(TestMail.message("let's meet", BOB));
        sendTo(ALICE, "From Alice 1");
        sendTo(ALICE, "From Alice 2");
        sendTo(BOB, "From Bob");
        all = carol.messages().get(r -> r.queryParameters.top = 1000).getValue();
    }

    private static void sendTo(String from, String subject) {
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(TestMail.message(subject, CAROL));
        body.setSaveToSentItems(false);
        app.users().byUserId(from).sendMail().post(body);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> list(String pathAndQuery) {
        return server.call("GET", "/v1.0/users/" + CAROL + pathAndQuery, token, null);
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::getId).toList();
    }

    private static List<String> filtered(String filter) {
        return ids(carol.messages().get(r -> {
            r.queryParameters.filter = filter;
            r.queryParameters.top = 1000;
        }).getValue());
    }

    private static List<String> expected(Predicate<Message> p) {
        return ids(all.stream().filter(p).toList());
    }

    private static Message bySubject(String subject) {
        return all.stream().filter(m -> m.getSubject().equals(subject)).findFirst().orElseThrow();
    }

    private static String literal(OffsetDateTime t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }

    @Test
    void mailboxWideListCoversEveryFolderAndFolderListsOnlyTheirOwn() {
        assertThat(all).hasSize(DRAFTS + RECEIVED);
        assertThat(carol.mailFolders().byMailFolderId("drafts").messages().get(r -> r.queryParameters.top = 100).getValue())
                .hasSize(DRAFTS).allMatch(Message::getIsDraft);
        assertThat(carol.mailFolders().byMailFolderId("inbox").messages().get(r -> r.queryParameters.top = 100).getValue())
                .extracting(Message::getSubject).containsExactlyInAnyOrder("From Alice 1", "From Alice 2", "From Bob");
    }

    @Test
    void defaultPageHoldsTenMessagesAndAnAbsoluteNextLinkWithSkip() {
        JsonNode page = json(list("/messages"));
        assertThat(page.path("value")).hasSize(10);
        String next = page.path("@odata.nextLink").asText();
        assertThat(next).startsWith(server.base() + "/v1.0/users/").contains("skip=10");

        JsonNode second = json(server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(next))
                .header("Authorization", "Bearer " + token).build()));
        assertThat(second.path("value")).hasSize(DRAFTS + RECEIVED - 10);
        assertThat(second.has("@odata.nextLink")).isFalse();
    }

    @Test
    void pageIteratorFollowsNextLinksToCollectEveryMessage() throws Exception {
        MessageCollectionResponse first = carol.messages().get(r -> r.queryParameters.top = 4);
        assertThat(first.getValue()).hasSize(4);
        assertThat(first.getOdataNextLink()).isNotNull();
        List<String> collected = new ArrayList<>();
        new PageIterator.Builder<Message, MessageCollectionResponse>()
                .client(app)
                .collectionPage(first)
                .collectionPageFactory(MessageCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(m -> collected.add(m.getId()))
                .build()
                .iterate();
        assertThat(collected).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(all));
    }

    @Test
    void nextLinksKeepTheFilterAndSelection() throws Exception {
        MessageCollectionResponse first = carol.messages().get(r -> {
            r.queryParameters.filter = "isRead eq false or subject eq 'let''s meet'";
            r.queryParameters.select = new String[] {"subject", "isRead"};
            r.queryParameters.top = 2;
        });
        assertThat(first.getOdataNextLink()).contains("filter").contains("select");
        List<Message> collected = new ArrayList<>();
        new PageIterator.Builder<Message, MessageCollectionResponse>()
                .client(app)
                .collectionPage(first)
                .collectionPageFactory(MessageCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(collected::add)
                .build()
                .iterate();
        assertThat(ids(collected)).containsExactlyInAnyOrderElementsOf(expected(m -> !m.getIsRead() || m.getSubject().equals("let's meet")));
        assertThat(collected).allSatisfy(m -> assertThat(m.getBody()).isNull());
    }

    @Test
    void folderListPagesWithTheSameNextLinkRules() throws Exception {
        MessageCollectionResponse first = carol.mailFolders().byMailFolderId("drafts").messages().get(r -> r.queryParameters.top = 5);
        List<String> collected = new ArrayList<>();
        new PageIterator.Builder<Message, MessageCollectionResponse>()
                .client(app)
                .collectionPage(first)
                .collectionPageFactory(MessageCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(m -> collected.add(m.getSubject()))
                .build()
                .iterate();
        assertThat(collected).hasSize(DRAFTS).doesNotHaveDuplicates();
    }

    @Test
    void topAndSkipSelectAWindowOfTheSameOrder() {
        List<String> five = ids(carol.messages().get(r -> r.queryParameters.top = 5).getValue());
        List<String> window = ids(carol.messages().get(r -> {
            r.queryParameters.top = 3;
            r.queryParameters.skip = 2;
        }).getValue());
        assertThat(window).containsExactlyElementsOf(five.subList(2, 5));
    }

    @Test
    void topAboveOneThousandIsRejected() {
        assertThat(json(list("/messages?%24top=1000")).path("value")).hasSize(DRAFTS + RECEIVED);
        HttpResponse<String> r = list("/messages?%24top=1001");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").path("message").asText()).contains("1000");
        assertThat(list("/messages?%24top=-1").statusCode()).isEqualTo(400);
        assertThat(list("/messages?%24skip=x").statusCode()).isEqualTo(400);
    }

    @Test
    void selectReturnsOnlyTheSelectedPropertiesAndId() {
        HttpResponse<String> r = list("/messages?%24select=subject,isRead&%24top=3");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode page = json(r);
        assertThat(page.path("@odata.context").asText()).endsWith("/messages(subject,isRead)");
        for (JsonNode m : page.path("value")) {
            List<String> names = new ArrayList<>();
            m.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyInAnyOrder("@odata.etag", "id", "subject", "isRead");
        }

        Message viaSdk = carol.messages().get(q -> q.queryParameters.select = new String[] {"subject"}).getValue().getFirst();
        assertThat(viaSdk.getSubject()).isNotNull();
        assertThat(viaSdk.getBody()).isNull();
        assertThat(viaSdk.getToRecipients()).isNull();
    }

    @Test
    void selectOfAnUnknownPropertyIsRejected() {
        HttpResponse<String> r = list("/messages?%24select=subject,noSuchThing");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("noSuchThing");
    }

    @Test
    void countTrueAddsTheTotalBeyondThePage() {
        JsonNode page = json(list("/messages?%24count=true&%24top=2"));
        assertThat(page.path("@odata.count").asInt()).isEqualTo(DRAFTS + RECEIVED);
        assertThat(page.path("value")).hasSize(2);
        JsonNode inbox = json(list("/mailFolders/inbox/messages?%24count=true"));
        assertThat(inbox.path("@odata.count").asInt()).isEqualTo(RECEIVED);
        assertThat(json(list("/messages?%24top=2")).has("@odata.count")).isFalse();
    }

    @Test
    void orderBySubjectAscendingAndDescending() {
        List<String> asc = carol.mailFolders().byMailFolderId("drafts").messages().get(r -> {
            r.queryParameters.orderby = new String[] {"subject"};
            r.queryParameters.top = 100;
        }).getValue().stream().map(Message::getSubject).toList();
        List<String> desc = carol.mailFolders().byMailFolderId("drafts").messages().get(r -> {
            r.queryParameters.orderby = new String[] {"subject desc"};
            r.queryParameters.top = 100;
        }).getValue().stream().map(Message::getSubject).toList();
        assertThat(asc).hasSize(DRAFTS).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
        assertThat(asc.getFirst()).isEqualTo("Draft 01");
        assertThat(asc.getLast()).isEqualTo("let's meet");
        assertThat(desc).containsExactlyElementsOf(asc.reversed());
    }

    @Test
    void orderByReceivedDateTimeAscendingAndDescending() {
        List<Message> asc = carol.messages().get(r -> {
            r.queryParameters.orderby = new String[] {"receivedDateTime asc"};
            r.queryParameters.top = 100;
        }).getValue();
        List<Message> desc = carol.messages().get(r -> {
            r.queryParameters.orderby = new String[] {"receivedDateTime desc"};
            r.queryParameters.top = 100;
        }).getValue();
        assertThat(asc).hasSize(DRAFTS + RECEIVED).isSortedAccordingTo(Comparator.comparing(Message::getReceivedDateTime));
        assertThat(desc).isSortedAccordingTo(Comparator.comparing(Message::getReceivedDateTime).reversed());
        // Created first, received first: the oldest draft leads the ascending order, the last delivery the descending.
        assertThat(asc.getFirst().getSubject()).isEqualTo("Draft 01");
        assertThat(desc.getFirst().getSubject()).isEqualTo("From Bob");
    }

    @Test
    void filterOnIsReadWithEqAndNe() {
        assertThat(filtered("isRead eq false")).isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(expected(m -> !m.getIsRead()));
        assertThat(filtered("isRead ne true")).containsExactlyInAnyOrderElementsOf(filtered("isRead eq false"));
        assertThat(filtered("isRead eq true")).containsExactlyInAnyOrderElementsOf(expected(Message::getIsRead));
    }

    @Test
    void filterCombinesConditionsWithAndOr() {
        assertThat(filtered("isRead eq false and importance eq 'high'")).isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(expected(m -> !m.getIsRead() && m.getImportance() == Importance.High));
        assertThat(filtered("importance eq 'low' or importance eq 'high'")).isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(expected(m -> m.getImportance() != Importance.Normal));
        assertThat(filtered("(importance eq 'low' or importance eq 'high') and isRead eq true"))
                .containsExactlyInAnyOrderElementsOf(expected(m -> m.getImportance() != Importance.Normal && m.getIsRead()));
    }

    @Test
    void filterOnSubjectWithADoubledQuote() {
        assertThat(filtered("subject eq 'let''s meet'")).containsExactly(bySubject("let's meet").getId());
        assertThat(filtered("subject eq 'Draft 03'")).containsExactly(bySubject("Draft 03").getId());
        assertThat(filtered("subject ne 'Draft 03'")).hasSize(DRAFTS + RECEIVED - 1);
    }

    @Test
    void filterOnTheSenderAddress() {
        assertThat(filtered("from/emailAddress/address eq '" + ALICE + "'"))
                .containsExactlyInAnyOrder(bySubject("From Alice 1").getId(), bySubject("From Alice 2").getId());
        assertThat(filtered("from/emailAddress/address eq '" + BOB + "'")).containsExactly(bySubject("From Bob").getId());
    }

    @Test
    void filterOnInternetMessageIdAndConversationId() {
        Message m = bySubject("From Alice 2");
        assertThat(filtered("internetMessageId eq '" + m.getInternetMessageId() + "'")).containsExactly(m.getId());
        assertThat(filtered("conversationId eq '" + m.getConversationId() + "'")).containsExactly(m.getId());
    }

    @Test
    void filterOnReceivedDateTimeWithEveryComparison() {
        Message latest = bySubject("From Bob");
        // Graph shows whole seconds; the stored instant lies in [t, t + 1s).
        OffsetDateTime t = latest.getReceivedDateTime();
        String at = literal(t);
        String after = literal(t.plusSeconds(1));
        assertThat(filtered("receivedDateTime ge " + at)).contains(latest.getId())
                .containsExactlyInAnyOrderElementsOf(expected(x -> !x.getReceivedDateTime().isBefore(t)));
        assertThat(filtered("receivedDateTime lt " + at)).doesNotContain(latest.getId())
                .containsExactlyInAnyOrderElementsOf(expected(x -> x.getReceivedDateTime().isBefore(t)));
        assertThat(filtered("receivedDateTime gt " + after)).isEmpty();
        assertThat(filtered("receivedDateTime le " + after)).hasSize(DRAFTS + RECEIVED);
        assertThat(filtered("receivedDateTime gt 2000-01-01T00:00:00Z and receivedDateTime lt 2999-01-01T00:00:00Z"))
                .hasSize(DRAFTS + RECEIVED);
        assertThat(filtered("receivedDateTime eq 2000-01-01T00:00:00Z")).isEmpty();
        assertThat(filtered("receivedDateTime ne 2000-01-01T00:00:00Z")).hasSize(DRAFTS + RECEIVED);
    }

    @Test
    void filterOnSentDateTimeAndHasAttachments() {
        assertThat(filtered("sentDateTime ge 2000-01-01T00:00:00Z")).hasSize(DRAFTS + RECEIVED);
        assertThat(filtered("sentDateTime lt 2000-01-01T00:00:00Z")).isEmpty();
        assertThat(filtered("hasAttachments eq false")).hasSize(DRAFTS + RECEIVED);
        assertThat(filtered("hasAttachments eq true")).isEmpty();
    }

    @Test
    void filterAndOrderByTogetherNeedTheSortedPropertyFirstInTheFilter() {
        HttpResponse<String> wrong = list("/messages?%24filter=" + enc("importance eq 'high'") + "&%24orderby=" + enc("receivedDateTime desc"));
        assertGraphError(wrong, 400, "InefficientFilter");

        List<Message> right = carol.messages().get(r -> {
            r.queryParameters.filter = "receivedDateTime ge 2000-01-01T00:00:00Z and importance eq 'high'";
            r.queryParameters.orderby = new String[] {"receivedDateTime desc"};
            r.queryParameters.top = 100;
        }).getValue();
        assertThat(right).isNotEmpty().allMatch(m -> m.getImportance() == Importance.High)
                .isSortedAccordingTo(Comparator.comparing(Message::getReceivedDateTime).reversed());
    }

    @Test
    void malformedFiltersAreRejected() {
        for (String bad : List.of("subject eq", "noSuchProperty eq 'x'", "isRead eq 'maybe'", "subject eq 'unterminated", "isRead eq false and")) {
            HttpResponse<String> r = list("/messages?%24filter=" + enc(bad));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).path("error").path("code").asText()).as(bad).isNotBlank();
        }
        assertThat(list("/messages?%24orderby=noSuchProperty").statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> carol.messages().get(r -> r.queryParameters.filter = "subject eq"))
                .isInstanceOfSatisfying(ODataError.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(400));
    }
}
