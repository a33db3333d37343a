package graft.delivery;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A small SMTP server for tests that need what GreenMail cannot do: scripted 4xx/5xx replies, STARTTLS, and a
 * record of every transaction and command as it arrived. It speaks just enough RFC 5321 for the relay client.
 */
final class FakeSmtpServer implements AutoCloseable {
    record Transaction(String mailFrom, List<String> recipients, String data) {
    }

    /** Reply to RCPT TO for an address, or null for 250. */
    volatile Function<String, String> rcptReply = r -> null;
    /** Reply to the end of DATA for a transaction (its recipients), or null for 250. */
    volatile Function<List<String>, String> dataReply = r -> null;
    volatile boolean pipelining = true;
    /** When above 0: the connection is dropped, unanswered and unrecorded, at the end of its n-th DATA. */
    volatile int dropAtTransaction;
    /** Whether to note, at the end of each DATA, if the client's next command had already arrived (up to 1 s). */
    volatile boolean notePipelinedData;
    /** Per DATA end, when noted: did the next command come before the reply to the data, i.e. pipelined? */
    final List<Boolean> nextCommandBeforeDataReply = new CopyOnWriteArrayList<>();
    volatile String authUser;
    volatile String authPassword;

    final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final SSLContext tls;
    private volatile ServerSocket socket;
    private volatile int port;

    FakeSmtpServer(SSLContext tls) {
        this.tls = tls;
    }

    FakeSmtpServer start() throws IOException {
        return startOn(0);
    }

    /** Starts listening, on the same port as before when it was stopped. */
    FakeSmtpServer startOn(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        socket = s;
        port = s.getLocalPort();
        Thread.ofVirtual().start(() -> accept(s));
        return this;
    }

    int port() {
        return port;
    }

    void stop() throws IOException {
        socket.close();
    }

    static SSLContext serverTls(KeyStore keys, char[] password) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                client.setTcpNoDelay(true);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket current = client;
        try {
            var in = new BufferedReader(new InputStreamReader(current.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = current.getOutputStream();
            reply(out, "220 fake.test ESMTP");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            boolean secure = false;
            int dataEnds = 0;
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    StringBuilder b = new StringBuilder("250-fake.test\r\n250-SIZE 10000000\r\n");
                    if (pipelining) {
                        b.append("250-PIPELINING\r\n");
                    }
                    if (tls != null && !secure) {
                        b.append("250-STARTTLS\r\n");
                    }
                    if (authUser != null) {
                        b.append("250-AUTH PLAIN LOGIN\r\n");
                    }
                    b.append("250 8BITMIME");
                    reply(out, b.toString());
                } else if (upper.equals("STARTTLS")) {
                    reply(out, "220 2.0.0 ready to start TLS");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(current, null, current.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    current = ssl;
                    secure = true;
                    in = new BufferedReader(new InputStreamReader(ssl.getInputStream(), StandardCharsets.ISO_8859_1));
                    out = ssl.getOutputStream();
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    String[] parts = new String(Base64.getDecoder().decode(line.substring(11).trim()), StandardCharsets.UTF_8).split("\0", -1);
                    boolean ok = parts.length == 3 && parts[1].equals(authUser) && parts[2].equals(authPassword);
                    reply(out, ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = line.substring(10).trim();
                    rcpts.clear();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String rcpt = line.substring(8).trim().replaceAll("^<|>$", "");
                    String r = rcptReply.apply(rcpt);
                    if (r == null) {
                        rcpts.add(rcpt);
                    }
                    reply(out, r == null ? "250 2.1.5 Ok" : r);
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        reply(out, "554 5.5.1 No valid recipients");
                        continue;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    String d;
                    while ((d = in.readLine()) != null && !d.equals(".")) {
                        data.append(d.startsWith(".") ? d.substring(1) : d).append("\r\n");
                    }
                    if (d == null) {
                        break; // the client went away before the end of the data: RFC 5321 4.1.1.4, nothing is queued
                    }
                    if (++dataEnds == dropAtTransaction) {
                        break; // as a server that dies before it has queued the message
                    }
                    if (notePipelinedData) {
                        long until = System.nanoTime() + 1_000_000_000L;
                        while (!in.ready() && System.nanoTime() < until) {
                            Thread.sleep(1);
                        }
                        nextCommandBeforeDataReply.add(in.ready());
                    }
                    String r = dataReply.apply(List.copyOf(rcpts));
                    if (r == null) {
                        transactions.add(new Transaction(from, List.copyOf(rcpts), data.toString()));
                    }
                    reply(out, r == null ? "250 2.0.0 Ok: queued as " + transactions.size() : r);
                    rcpts.clear();
                } else if (upper.equals("RSET")) {
                    rcpts.clear();
                    reply(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    break;
                } else if (upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (Exception e) {
            // the client went away
        } finally {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Polls a condition until it holds or the time is up; fails the test with {@code what} otherwise. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
