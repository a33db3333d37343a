package graft.mail;

import graft.http.GraphError;
import graft.identity.User;
import graft.store.Database;

import java.util.Collection;
import java.util.List;

/** The folders of a mailbox: provisioning the well-known ones, listing, and resolving names to ids. */
public final class Folders {
    private final Database db;

    public Folders(Database db) {
        this.db = db;
    }

    /** Ensures every mailbox has its well-known folders; idempotent, so every node may run it on every start. */
    public void provision(Collection<User> users) {
        db.write(c -> {
            for (User u : users) {
                FolderTable.provision(c, u.id());
            }
            return null;
        });
    }

    /** A folder key from a URL: a well-known name (any case) or a folder id. */
    public static FolderId resolve(User owner, String key) {
        return WellKnownFolder.byName(key).map(f -> FolderId.of(owner.id(), f)).orElseGet(() -> FolderId.parse(key));
    }

    public MailFolder get(User owner, FolderId id) {
        return db.read(c -> FolderTable.find(c, owner.id(), id)).orElseThrow(GraphError::itemNotFound);
    }

    /** The children of a folder; of the root folder when {@code parent} is null, as {@code GET /mailFolders} lists. */
    public List<MailFolder> children(User owner, FolderId parent) {
        FolderId p = parent == null ? FolderId.of(owner.id(), WellKnownFolder.MSGFOLDERROOT) : parent;
        return db.read(c -> {
            if (!FolderTable.exists(c, owner.id(), p)) {
                throw GraphError.itemNotFound();
            }
            return FolderTable.children(c, owner.id(), p);
        });
    }
}
