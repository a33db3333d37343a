package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;
import graft.identity.Tenant;
import graft.identity.User;
import graft.mime.MimeSource;
import graft.odata.Column;
import graft.odata.Filter;
import graft.odata.ODataQueryException;
import graft.odata.QueryOptions;
import graft.odata.SqlFilter;
import graft.odata.SqlFragment;
import graft.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Creating, reading, listing, updating and deleting the messages of one mailbox. */
public final class Messages {
    static final int DEFAULT_PAGE = 10;
    /** What $filter and $orderby can reach, and the column behind each. */
    static final Map<String, Column> COLUMNS = Map.ofEntries(
            Map.entry("isRead", new Column("is_read", Column.Type.BOOLEAN)),
            Map.entry("isDraft", new Column("is_draft", Column.Type.BOOLEAN)),
            Map.entry("hasAttachments", new Column("has_attachments", Column.Type.BOOLEAN)),
            Map.entry("subject", new Column("subject", Column.Type.CASE_INSENSITIVE_STRING)),
            Map.entry("importance", new Column("importance", Column.Type.ENUM_LOWERCASE)),
            Map.entry("from/emailAddress/address", new Column("from_address", Column.Type.CASE_INSENSITIVE_STRING)),
            Map.entry("from/emailAddress/name", new Column("from_name", Column.Type.CASE_INSENSITIVE_STRING)),
            Map.entry("internetMessageId", new Column("internet_message_id", Column.Type.STRING)),
            Map.entry("conversationId", new Column("conversation_id", Column.Type.STRING)),
            Map.entry("parentFolderId", new Column("folder_id", Column.Type.STRING)),
            Map.entry("receivedDateTime", new Column("received_at", Column.Type.DATETIME)),
            Map.entry("sentDateTime", new Column("sent_at", Column.Type.DATETIME)),
            Map.entry("createdDateTime", new Column("created_at", Column.Type.DATETIME)),
            Map.entry("lastModifiedDateTime", new Column("modified_at", Column.Type.DATETIME)));

    private final Database db;
    private final Clock clock;
    private final long maxMessageSize;

    public Messages(Database db, Clock clock) {
        this(db, clock, Attachments.DEFAULT_MAX_MESSAGE_SIZE);
    }

    public Messages(Database db, Clock clock, long maxMessageSize) {
        this.db = db;
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
    }

    long maxMessageSize() {
        return maxMessageSize;
    }

    public record Page(List<Message> messages, Long count, boolean more) {
    }

    /** A new draft, or a message in the given folder (POST to a folder's messages), with Graph's defaults. */
    public Message create(Tenant tenant, User owner, FolderId folder, JsonNode json) {
        return create(tenant, owner, folder, MessageInput.parse(json, true, names(tenant)));
    }

    /** A new message from a parsed body (JSON or MIME), in Drafts unless {@code folder} is given. */
    Message create(Tenant tenant, User owner, FolderId folder, MessageInput input) {
        Message.Builder b = newMessage(owner, folder == null ? FolderId.of(owner.id(), WellKnownFolder.DRAFTS) : folder, tenant);
        input.applyTo(b);
        Message m = b.build();
        db.write(c -> {
            if (!FolderTable.exists(c, owner.id(), m.folderId())) {
                throw GraphError.itemNotFound();
            }
            MessageTable.insert(c, m);
            Attachments.insertAll(c, m.id().value(), input.attachments(), m.createdDateTime(), maxMessageSize);
            return null;
        });
        return m;
    }

    Message.Builder newMessage(User owner, FolderId folder, Tenant tenant) {
        Instant now = clock.instant();
        Message.Builder b = new Message.Builder();
        b.id = MessageId.random();
        b.mailboxId = owner.id();
        b.folderId = folder;
        b.changeKey = changeKey();
        b.createdDateTime = now;
        b.lastModifiedDateTime = now;
        b.receivedDateTime = now;
        b.sentDateTime = now;
        b.isDraft = true;
        b.isRead = true;
        b.internetMessageId = "<" + token(18) + "@" + tenant.domain() + ">";
        b.conversationId = "AAQk" + token(24);
        b.conversationIndex = conversationIndex(now);
        return b;
    }

    /** The message as RFC 5322 MIME ({@code GET .../$value}), streamed with its attachments. */
    public MimeSource mime(Message m) {
        return StoredMime.message(db, m);
    }

    public Message get(User owner, MessageId id) {
        return db.read(c -> MessageTable.find(c, owner.id(), id)).orElseThrow(GraphError::itemNotFound);
    }

    public Page list(User owner, FolderId folder, QueryOptions q) {
        Optional<SqlFragment> where;
        String orderBy;
        try {
            where = q.filter().map(f -> SqlFilter.translate(f, COLUMNS));
            orderBy = q.orderBy().isEmpty() ? "received_at DESC, id" : SqlFilter.orderBy(q.orderBy(), COLUMNS) + ", id";
        } catch (ODataQueryException e) {
            // Unknown or unfilterable properties are only found against the message columns.
            throw new GraphError(400, e.code(), e.getMessage());
        }
        if (q.filter().isPresent() && !q.orderBy().isEmpty()) {
            requireOrderByLeadsFilter(q);
        }
        int top = q.top().orElse(DEFAULT_PAGE);
        String whereSql = where.map(SqlFragment::sql).orElse("");
        List<Object> params = where.map(SqlFragment::params).orElse(List.of());
        return db.read(c -> {
            if (folder != null && !FolderTable.exists(c, owner.id(), folder)) {
                throw GraphError.itemNotFound();
            }
            List<Message> rows = MessageTable.list(c, owner.id(), folder, whereSql, params, orderBy, top + 1, q.skip());
            Long count = q.count() ? MessageTable.count(c, owner.id(), folder, whereSql, params) : null;
            boolean more = rows.size() > top;
            return new Page(more ? rows.subList(0, top) : rows, count, more);
        });
    }

    /**
     * Exchange serves $filter with $orderby only when the sorted properties lead the filter, in the same order
     * (user-list-messages: "InefficientFilter").
     */
    private static void requireOrderByLeadsFilter(QueryOptions q) {
        List<String> filtered = q.filter().map(Filter::properties).orElse(List.of());
        for (int i = 0; i < q.orderBy().size(); i++) {
            String sorted = q.orderBy().get(i).property();
            if (i >= filtered.size() || !filtered.get(i).equalsIgnoreCase(sorted)) {
                throw new GraphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.");
            }
        }
    }

    public Message update(Tenant tenant, User owner, MessageId id, JsonNode json, String ifMatch) {
        MessageInput input = MessageInput.parse(json, false, names(tenant));
        return db.write(c -> {
            Message current = MessageTable.find(c, owner.id(), id).orElseThrow(GraphError::itemNotFound);
            checkEtag(current, ifMatch);
            if (!current.isDraft()) {
                for (String p : input.properties()) {
                    if (MessageInput.DRAFT_ONLY.contains(p)) {
                        throw GraphError.invalidPropertySet("Message is not draft.");
                    }
                }
            }
            Message.Builder b = current.toBuilder();
            input.applyTo(b);
            b.changeKey = changeKey();
            b.lastModifiedDateTime = clock.instant();
            Message updated = b.build();
            MessageTable.update(c, updated);
            return updated;
        });
    }

    /** Deleting moves the message to Deleted Items; deleting it from there removes it for good. */
    public void delete(User owner, MessageId id, String ifMatch) {
        FolderId deleted = FolderId.of(owner.id(), WellKnownFolder.DELETEDITEMS);
        db.write(c -> {
            Message current = MessageTable.find(c, owner.id(), id).orElseThrow(GraphError::itemNotFound);
            checkEtag(current, ifMatch);
            if (current.folderId().equals(deleted)) {
                MessageTable.delete(c, owner.id(), id);
                AttachmentTable.deleteAll(c, id.value());
            } else {
                Message.Builder b = current.toBuilder();
                b.folderId = deleted;
                b.changeKey = changeKey();
                b.lastModifiedDateTime = clock.instant();
                MessageTable.update(c, b.build());
            }
            return null;
        });
    }

    private static void checkEtag(Message current, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String expected = "W/\"" + current.changeKey() + "\"";
        if (!ifMatch.trim().equals(expected) && !ifMatch.trim().equals("\"" + current.changeKey() + "\"")) {
            throw new GraphError(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the "
                    + "change key passed in the request does not match the current change key for the item.");
        }
    }

    /** A recipient given without a name gets the directory's display name, or else the address (as Exchange does). */
    static UnaryOperator<String> names(Tenant tenant) {
        return address -> tenant.userByAddress(address).map(User::displayName).orElse(address);
    }

    static String changeKey() {
        return token(21);
    }

    private static String token(int bytes) {
        return RandomText.base64Url(bytes);
    }

    /** A thread-index header block (MS-OXOMSG 2.2.1.3): reserved byte, 5 bytes of FILETIME, a GUID. */
    private static String conversationIndex(Instant now) {
        long filetime = (now.toEpochMilli() + 11_644_473_600_000L) * 10_000L;
        byte[] b = new byte[22];
        b[0] = 1;
        for (int i = 0; i < 5; i++) {
            b[1 + i] = (byte) (filetime >>> (56 - 8 * i));
        }
        byte[] guid = RandomText.bytes(16);
        System.arraycopy(guid, 0, b, 6, 16);
        return Base64.getEncoder().encodeToString(b);
    }
}
