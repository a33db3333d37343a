package graft.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server for very large messages: each message's data goes straight to a file (dot-unstuffed), so the
 * test can check a 100 MB attachment without holding it. It offers SIZE, so the client must declare one.
 */
final class FileSmtpSink implements AutoCloseable {
    record Received(String mailFrom, Path data) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Path dir;
    private final ServerSocket socket;

    FileSmtpSink(Path dir) throws IOException {
        this.dir = dir;
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024); OutputStream out = s.getOutputStream()) {
            reply(out, "220 sink ready");
            String mailFrom = null;
            while (true) {
                String line = line(in);
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink\r\n250-SIZE 209715200\r\n250 8BITMIME");
                    case "MAIL" -> {
                        mailFrom = line;
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go on");
                        Path file = Files.createTempFile(dir, "message", ".eml");
                        try (OutputStream data = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                            while (true) {
                                byte[] l = rawLine(in);
                                if (l == null) {
                                    return;
                                }
                                if (l.length == 3 && l[0] == '.') {
                                    break;
                                }
                                int from = l.length > 0 && l[0] == '.' ? 1 : 0; // RFC 5321 4.5.2
                                data.write(l, from, l.length - from);
                            }
                        }
                        received.add(new Received(mailFrom, file));
                        reply(out, "250 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        byte[] l = rawLine(in);
        return l == null ? null : new String(l, StandardCharsets.US_ASCII).strip();
    }

    /** One line with its CRLF, or null at the end of the stream. */
    private static byte[] rawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            line.write(c);
            if (c == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
