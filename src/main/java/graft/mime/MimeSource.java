package graft.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A message in RFC 5322 form that is written out rather than held: attachment content is read and encoded as it
 * goes, so a large message costs a buffer, not its size, on the heap. It can be written more than once.
 */
public interface MimeSource {
    void writeTo(OutputStream out) throws IOException;

    /** The size in octets, CRLF pairs included (what RFC 1870 SIZE declares); exact or a close estimate. */
    long estimatedSize();

    /** The header section, ending with the CRLF of its last field (for a report's text/rfc822-headers part). */
    String headerSection();

    static MimeSource of(byte[] rendered) {
        return new MimeSource() {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(rendered);
            }

            @Override
            public long estimatedSize() {
                return rendered.length;
            }

            @Override
            public String headerSection() {
                return MimeRenderer.headerSection(rendered);
            }
        };
    }

    /** The whole message in memory: for tests and small messages only. */
    default byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
