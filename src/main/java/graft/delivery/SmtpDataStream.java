package graft.delivery;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The message text of an SMTP DATA command as it streams out (RFC 5321 4.5.2): a line that starts with a dot
 * gets another, and {@link #finish} ends the data with CRLF.CRLF. Its input is already CRLF-only. Closing it
 * never closes the connection.
 */
final class SmtpDataStream extends FilterOutputStream {
    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] CRLF = {'\r', '\n'};
    private boolean lineStart = true;
    private int last = -1;
    private boolean connectionFailed;

    SmtpDataStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off;
        try {
            for (int i = off; i < end; i++) {
                if (lineStart && b[i] == '.') {
                    out.write(b, run, i - run);
                    out.write('.');
                    run = i; // the original dot goes out with the rest of the run
                }
                lineStart = b[i] == '\n';
            }
            out.write(b, run, end - run);
        } catch (IOException e) {
            connectionFailed = true;
            throw e;
        }
        if (len > 0) {
            last = b[end - 1];
        }
    }

    /** Whether a write to the connection failed (as opposed to reading the message). */
    boolean connectionFailed() {
        return connectionFailed;
    }

    /**
     * The terminating line; a message that does not end with a line break gets one first. Not flushed: the next
     * transaction's envelope may follow it in the same write (RFC 2920).
     */
    void finish() throws IOException {
        if (last != -1 && last != '\n') {
            out.write(CRLF);
        }
        out.write(END);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
