package graft.mail;

/** A mail folder with its counts, as Graph's {@code mailFolder} reports them. */
public record MailFolder(FolderId id, FolderId parentFolderId, String displayName, boolean isHidden,
                         int childFolderCount, int totalItemCount, int unreadItemCount) {
}
