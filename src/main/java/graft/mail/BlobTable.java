package graft.mail;

import graft.store.Uuid7;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Attachment content, stored in chunks of {@link #CHUNK} bytes so that neither side holds a whole file. */
public final class BlobTable {
    static final int CHUNK = 512 * 1024;

    private BlobTable() {
    }

    /** Stores the stream's content; returns the blob id. */
    public static String put(Connection c, InputStream in, long createdAt) throws SQLException {
        String id = Uuid7.random();
        long size = 0;
        try (PreparedStatement blob = c.prepareStatement("INSERT INTO blobs (id, size, created_at) VALUES (?, 0, ?)");
             PreparedStatement chunk = c.prepareStatement("INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)")) {
            blob.setString(1, id);
            blob.setLong(2, createdAt);
            blob.executeUpdate();
            int seq = 0;
            while (true) {
                byte[] data = in.readNBytes(CHUNK);
                if (data.length == 0) {
                    break;
                }
                chunk.setString(1, id);
                chunk.setInt(2, seq++);
                chunk.setBytes(3, data);
                chunk.executeUpdate();
                size += data.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE blobs SET size = ? WHERE id = ?")) {
            ps.setLong(1, size);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        return id;
    }

    /** Chunk {@code seq} of a blob (chunks are numbered from 0 without gaps), or null after the last. */
    static byte[] chunk(Connection c, String blobId, int seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?")) {
            ps.setString(1, blobId);
            ps.setInt(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** Removes blobs no attachment refers to any more. */
    static void deleteUnreferenced(Connection c, String blobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM blobs WHERE id = ? AND NOT EXISTS (SELECT 1 FROM attachments WHERE blob_id = ?)")) {
            ps.setString(1, blobId);
            ps.setString(2, blobId);
            if (ps.executeUpdate() == 1) {
                try (PreparedStatement chunks = c.prepareStatement("DELETE FROM blob_chunks WHERE blob_id = ?")) {
                    chunks.setString(1, blobId);
                    chunks.executeUpdate();
                }
            }
        }
    }
}
