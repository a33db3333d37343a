package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;
import graft.identity.User;
import graft.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * move, copy and permanentDelete (contract §1.4, §1.10). Graft's ids never change, so a moved message keeps its id
 * (what Graph does for immutable ids); a copy is a new message with its own id and its own attachment rows.
 */
public final class Moves {
    private final Database db;
    private final Clock clock;

    public Moves(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Message move(User owner, MessageId id, JsonNode body) {
        FolderId destination = destination(owner, body, "move");
        return db.write(c -> {
            Message m = MessageTable.find(c, owner.id(), id).orElseThrow(GraphError::itemNotFound);
            requireFolder(c, owner, destination);
            Message.Builder b = m.toBuilder();
            b.folderId = destination;
            b.changeKey = Messages.changeKey();
            b.lastModifiedDateTime = clock.instant();
            Message moved = b.build();
            MessageTable.update(c, moved);
            return moved;
        });
    }

    public Message copy(User owner, MessageId id, JsonNode body) {
        FolderId destination = destination(owner, body, "copy");
        return db.write(c -> {
            Message m = MessageTable.find(c, owner.id(), id).orElseThrow(GraphError::itemNotFound);
            requireFolder(c, owner, destination);
            Instant now = clock.instant();
            Message.Builder b = m.toBuilder();
            b.id = MessageId.random();
            b.folderId = destination;
            b.changeKey = Messages.changeKey();
            b.createdDateTime = now;
            b.lastModifiedDateTime = now;
            Message copy = b.build();
            MessageTable.insert(c, copy);
            AttachmentTable.copyAll(c, id.value(), copy.id().value());
            return copy;
        });
    }

    /** Gone at once, whatever folder it is in; not recoverable from Deleted Items. */
    public void permanentDelete(User owner, MessageId id) {
        db.write(c -> {
            if (!MessageTable.delete(c, owner.id(), id)) {
                throw GraphError.itemNotFound();
            }
            AttachmentTable.deleteAll(c, id.value());
            return null;
        });
    }

    private static void requireFolder(java.sql.Connection c, User owner, FolderId folder) throws java.sql.SQLException {
        if (!FolderTable.exists(c, owner.id(), folder)) {
            throw GraphError.itemNotFound();
        }
    }

    /** The {@code DestinationId} parameter: a folder id or a well-known name, parameter name in any case. */
    private static FolderId destination(User owner, JsonNode body, String operation) {
        JsonNode value = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equalsIgnoreCase("destinationId")) {
                value = f.getValue();
            } else if (!f.getKey().startsWith("@")) {
                throw GraphError.badRequest("The parameter '" + f.getKey() + "' in the request payload is not a valid parameter for the operation '" + operation + "'.");
            }
        }
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw GraphError.badRequest("The parameter 'DestinationId' in the request payload is required for the operation '" + operation + "'.");
        }
        return Folders.resolve(owner, value.asText());
    }
}
