package graft.mail;

import graft.store.Database;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob read one chunk at a time, each in a short read of its own: no connection is held while the reader
 * waits on a slow SMTP server or HTTP client, and no more than one chunk is in memory.
 */
final class BlobInputStream extends InputStream {
    private static final byte[] NONE = new byte[0];
    private final Database db;
    private final String blobId;
    private final long expectedSize;
    private long delivered;
    private int seq;
    private byte[] chunk = NONE;
    private int pos;
    private boolean end;

    /** @param expectedSize the attachment's size: a blob that ends early (deleted while read) is an error, not an end */
    BlobInputStream(Database db, String blobId, long expectedSize) {
        this.db = db;
        this.blobId = blobId;
        this.expectedSize = expectedSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= chunk.length) {
            if (end) {
                return -1;
            }
            int wanted = seq;
            byte[] next;
            try {
                next = db.read(c -> BlobTable.chunk(c, blobId, wanted));
            } catch (RuntimeException e) {
                throw new IOException("cannot read attachment content " + blobId + ": " + e.getMessage(), e);
            }
            if (next == null) {
                end = true;
                chunk = NONE;
                if (delivered != expectedSize) {
                    throw new IOException("attachment content " + blobId + " ended after " + delivered + " of " + expectedSize + " bytes");
                }
                return -1;
            }
            seq++;
            chunk = next;
            pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        delivered += n;
        return n;
    }
}
