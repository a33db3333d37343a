package graft.mail;

import com.fasterxml.jackson.core.JsonGenerator;
import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.Json;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.User;
import graft.odata.QueryOptions;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Writes messages and folders as Graph does: OData annotations, $select, paging links. */
final class MailResponses {
    private static final java.util.Set<String> BODY_PROPERTIES = java.util.Set.of("body", "bodyPreview", "uniqueBody");
    static final String ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private MailResponses() {
    }

    /** The properties to write for a $select (id always comes first), or the defaults without one. */
    static List<String> selection(QueryOptions q) {
        if (q.select().isEmpty() || q.select().get().contains("*")) {
            return MessageJson.DEFAULT_PROPERTIES;
        }
        List<String> wanted = new ArrayList<>();
        for (String name : q.select().get()) {
            String canonical = MessageJson.CANONICAL.get(name.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new GraphError(400, "RequestBroker--ParseUri", "Could not find a property named '" + name
                        + "' on type 'microsoft.graph.message'.");
            }
            if (!wanted.contains(canonical)) {
                wanted.add(canonical);
            }
        }
        List<String> ordered = new ArrayList<>(List.of("id"));
        for (String p : MessageJson.DEFAULT_PROPERTIES) {
            if (!p.equals("id") && wanted.contains(p)) {
                ordered.add(p);
            }
        }
        for (String p : MessageJson.SELECT_ONLY) {
            if (wanted.contains(p)) {
                ordered.add(p);
            }
        }
        return ordered;
    }

    /** Mail.ReadBasic reads a message without its body (contract §4.1): those properties are left out for it. */
    static List<String> readableBy(Caller caller, List<String> properties) {
        if (Permission.MAIL_READ_CONTENT.allows(caller)) {
            return properties;
        }
        return properties.stream().filter(p -> !BODY_PROPERTIES.contains(p)).toList();
    }

    static String selectSuffix(QueryOptions q) {
        if (q.select().isEmpty() || q.select().get().contains("*")) {
            return "";
        }
        return "(" + String.join(",", q.select().get()) + ")";
    }

    static String context(Exchange ex, User owner, String path) {
        return ex.baseUrl() + "/v1.0/$metadata#users('" + owner.id() + "')/" + path;
    }

    static void message(Exchange ex, int status, User owner, Message m, List<String> properties, String selectSuffix, BodyPreference pref) {
        Message shown = pref.apply(m);
        ex.send(status, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, "messages" + selectSuffix + "/$entity"));
            g.writeStringField("@odata.etag", etag(m));
            MessageJson.writeProperties(g, shown, properties, ex.baseUrl());
            g.writeEndObject();
        }));
    }

    static void page(Exchange ex, User owner, String collectionPath, Messages.Page page, List<String> properties, QueryOptions q,
                     BodyPreference pref) {
        String next = page.more() ? nextLink(ex, q.skip() + page.messages().size()) : null;
        ex.send(200, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, collectionPath + selectSuffix(q)));
            if (page.count() != null) {
                g.writeNumberField("@odata.count", page.count());
            }
            g.writeArrayFieldStart("value");
            for (Message m : page.messages()) {
                g.writeStartObject();
                g.writeStringField("@odata.etag", etag(m));
                MessageJson.writeProperties(g, pref.apply(m), properties, ex.baseUrl());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (next != null) {
                g.writeStringField("@odata.nextLink", next);
            }
            g.writeEndObject();
        }));
    }

    /** The same request with $skip advanced; absolute, on our own base URL, since SDKs follow it verbatim. */
    static String nextLink(Exchange ex, int skip) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String> p : ex.query()) {
            String name = p.getKey();
            if (name.equalsIgnoreCase("$skip") || name.equalsIgnoreCase("skip")) {
                continue;
            }
            query.add(encode(name) + "=" + encode(p.getValue()));
        }
        query.add("%24skip=" + skip);
        return ex.baseUrl() + ex.rawPath() + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String etag(Message m) {
        return "W/\"" + m.changeKey() + "\"";
    }

    static void folder(Exchange ex, User owner, MailFolder f) {
        ex.send(200, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, "mailFolders/$entity"));
            writeFolder(g, f);
            g.writeEndObject();
        }));
    }

    static void folders(Exchange ex, User owner, String path, List<MailFolder> folders) {
        ex.send(200, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, path));
            g.writeArrayFieldStart("value");
            for (MailFolder f : folders) {
                g.writeStartObject();
                writeFolder(g, f);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void writeFolder(JsonGenerator g, MailFolder f) throws IOException {
        g.writeStringField("id", f.id().value());
        g.writeStringField("displayName", f.displayName());
        g.writeStringField("parentFolderId", f.parentFolderId() == null ? null : f.parentFolderId().value());
        g.writeNumberField("childFolderCount", f.childFolderCount());
        g.writeNumberField("unreadItemCount", f.unreadItemCount());
        g.writeNumberField("totalItemCount", f.totalItemCount());
        g.writeBooleanField("isHidden", f.isHidden());
    }

    /** Streamed: a file attachment's content may be far larger than what should sit in memory. */
    static void attachment(Exchange ex, int status, User owner, MessageId message, Attachment a, Attachments attachments) {
        ex.stream(status, ODATA_JSON, out -> Json.write(out, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, "messages('" + message.value() + "')/attachments/$entity"));
            AttachmentJson.write(g, a, attachments);
            g.writeEndObject();
        }));
    }

    static void attachments(Exchange ex, User owner, MessageId message, List<Attachment> list, Attachments attachments) {
        ex.stream(200, ODATA_JSON, out -> Json.write(out, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context(ex, owner, "messages('" + message.value() + "')/attachments"));
            g.writeArrayFieldStart("value");
            for (Attachment a : list) {
                g.writeStartObject();
                AttachmentJson.write(g, a, attachments);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    static void uploadSession(Exchange ex, String uploadUrl, UploadSession s) {
        ex.send(201, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", ex.baseUrl() + "/v1.0/$metadata#microsoft.graph.uploadSession");
            g.writeStringField("uploadUrl", uploadUrl);
            g.writeStringField("expirationDateTime", MessageJson.dateTime(s.expiresAt()));
            g.writeArrayFieldStart("nextExpectedRanges");
            g.writeString("0-");
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    static void user(Exchange ex, User u) {
        ex.send(200, ODATA_JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", ex.baseUrl() + "/v1.0/$metadata#users/$entity");
            g.writeArrayFieldStart("businessPhones");
            g.writeEndArray();
            g.writeStringField("displayName", u.displayName());
            int space = u.displayName().indexOf(' ');
            g.writeStringField("givenName", space > 0 ? u.displayName().substring(0, space) : u.displayName());
            g.writeStringField("surname", space > 0 ? u.displayName().substring(space + 1) : null);
            g.writeNullField("jobTitle");
            g.writeStringField("mail", u.mail());
            g.writeNullField("mobilePhone");
            g.writeNullField("officeLocation");
            g.writeNullField("preferredLanguage");
            g.writeStringField("userPrincipalName", u.userPrincipalName());
            g.writeStringField("id", u.id().toString());
            g.writeEndObject();
        }));
    }
}
