package graft.store;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Json;
import graft.identity.Application;
import graft.identity.Caller;
import graft.identity.Tenant;
import graft.identity.User;
import graft.mail.FolderId;
import graft.mail.Folders;
import graft.mail.Messages;
import graft.mail.Sending;
import graft.mail.WellKnownFolder;
import graft.odata.QueryOptions;
import graft.odata.QueryOptionsParser;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tenant of its own for one test (fresh ids, so tests sharing a database never see each other's mail) and
 * Graft's mail operations over the store under test.
 */
record MailFixture(Tenant tenant, User alice, User bob, Caller caller, Messages messages, Folders folders,
                   Sending sending, AtomicInteger outboxSignals) {
    static final String DOMAIN = "contoso.test";

    static MailFixture on(Database db) {
        UUID tenantId = UUID.randomUUID();
        User alice = new User(UUID.randomUUID(), tenantId, "alice@" + DOMAIN, "Alice Adams", "pw");
        User bob = new User(UUID.randomUUID(), tenantId, "bob@" + DOMAIN, "Bob Brown", "pw");
        Application app = new Application(UUID.randomUUID(), tenantId, UUID.randomUUID(), "test app", "secret",
                Set.of("Mail.Send", "Mail.ReadWrite"), Set.of());
        Tenant tenant = new Tenant(tenantId, DOMAIN, List.of(alice, bob), List.of(app));
        MailFixture f = over(db, tenant, alice, bob, new Caller.App(tenant, app, app.roles()));
        f.folders().provision(tenant.users());
        return f;
    }

    /** The same tenant and mailboxes over another store (the same one reopened, or another node's). */
    MailFixture over(Database db) {
        return over(db, tenant, alice, bob, caller);
    }

    private static MailFixture over(Database db, Tenant tenant, User alice, User bob, Caller caller) {
        Clock clock = Clock.systemUTC();
        Messages messages = new Messages(db, clock);
        AtomicInteger signals = new AtomicInteger();
        return new MailFixture(tenant, alice, bob, caller, messages, new Folders(db),
                new Sending(db, messages, clock, signals::incrementAndGet), signals);
    }

    static FolderId folder(User u, WellKnownFolder f) {
        return FolderId.of(u.id(), f);
    }

    /** A message as a client posts it, e.g. {@code message("Hi", "bob@contoso.test")}. */
    static JsonNode message(String subject, String... to) {
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (String address : to) {
            recipients.add(Map.of("emailAddress", Map.of("address", address)));
        }
        return Json.MAPPER.valueToTree(Map.of("subject", subject,
                "body", Map.of("contentType", "text", "content", "Body of " + subject),
                "toRecipients", recipients));
    }

    static JsonNode json(Map<String, Object> fields) {
        return Json.MAPPER.valueToTree(fields);
    }

    /** Query options as they would come in a URL, e.g. {@code query("$filter", "isRead eq false", "$count", "true")}. */
    static QueryOptions query(String... pairs) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.add(Map.entry(pairs[i], pairs[i + 1]));
        }
        return QueryOptionsParser.parse(params);
    }

    List<String> subjects(User owner, WellKnownFolder f, String... query) {
        return messages.list(owner, folder(owner, f), query(query)).messages().stream().map(graft.mail.Message::subject).toList();
    }

    long count(User owner, WellKnownFolder f) {
        return messages.list(owner, folder(owner, f), query("$count", "true", "$top", "1")).count();
    }

    /** The one message of the folder that matches {@code filter} (OData $filter). */
    graft.mail.Message only(User owner, WellKnownFolder f, String filter) {
        List<graft.mail.Message> found = messages.list(owner, folder(owner, f), query("$filter", filter)).messages();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " messages match " + filter);
        }
        return found.getFirst();
    }
}
