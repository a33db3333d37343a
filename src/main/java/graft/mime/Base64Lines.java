package graft.mime;

import graft.mail.Attachment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * base64 as RFC 2045 6.8 puts it in a message: lines of 76 characters, each ended by CRLF, the last one too, so
 * that the encoded size of n octets is known from n alone. A file is encoded as it is read, a block at a time.
 */
final class Base64Lines {
    /** Octets per 76-character line. */
    private static final int LINE_OCTETS = 57;
    /** Octets read and encoded at a time: whole lines, so each block ends at a line end. */
    private static final int BLOCK = LINE_OCTETS * 1024;
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(76, new byte[]{'\r', '\n'});

    private Base64Lines() {
    }

    /** The encoded size of {@code n} octets, CRLFs included. */
    static long size(long n) {
        long chars = 4 * ((n + 2) / 3);
        return chars + 2 * ((chars + 75) / 76);
    }

    /** {@code data} encoded into {@code out}. */
    static void encode(byte[] data, MimeBuffer out) {
        if (data.length == 0) {
            return;
        }
        byte[] encoded = MIME.encode(data);
        out.write(encoded, 0, encoded.length);
        out.crlf();
    }

    /** The content of {@code file}, encoded to {@code out} while it is read: a block in memory, never the file. */
    static void copy(AttachmentContent content, Attachment file, OutputStream out) throws IOException {
        byte[] block = new byte[BLOCK];
        byte[] encoded = new byte[(int) size(BLOCK)];
        try (InputStream in = content.open(file)) {
            while (true) {
                int n = in.readNBytes(block, 0, BLOCK);
                if (n == 0) {
                    return;
                }
                int len = MIME.encode(n == BLOCK ? block : Arrays.copyOf(block, n), encoded);
                encoded[len++] = '\r';
                encoded[len++] = '\n';
                out.write(encoded, 0, len);
                if (n < BLOCK) {
                    return;
                }
            }
        }
    }
}
