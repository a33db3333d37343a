package graft.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Turns every bare CR or LF into CRLF: RFC 5322 2.3 and RFC 5321 2.3.8 allow line breaks only as CRLF. */
public final class CrlfOutputStream extends FilterOutputStream {
    private int last = -1;

    public CrlfOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\r') {
            out.write('\r');
            out.write('\n');
        } else if (b == '\n') {
            if (last != '\r') {
                out.write('\r');
                out.write('\n');
            }
        } else {
            out.write(b);
        }
        last = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }
}
