package graft.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Turns every bare CR or LF into CRLF: RFC 5322 2.3 and RFC 5321 2.3.8 allow line breaks only as CRLF. */
public final class CrlfOutputStream extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private int last = -1;

    public CrlfOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    /** Copies runs of ordinary bytes in one write each: attachments pass through here by the megabyte. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                out.write(b, run, i - run);
                if (c == '\r' || last != '\r') {
                    out.write(CRLF);
                }
                run = i + 1;
            }
            last = c;
        }
        out.write(b, run, end - run);
    }
}
