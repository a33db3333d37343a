package graft.delivery;

import graft.config.DeliveryConfig;
import graft.mime.CrlfOutputStream;
import graft.mime.MimeSource;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One SMTP connection to the smarthost (RFC 5321), after greeting, EHLO, STARTTLS (RFC 3207) and AUTH
 * (RFC 4954). It carries any number of mail transactions, pipelined when the server offers PIPELINING (RFC 2920).
 * Every command is built from checked values only: an address with a CR, LF, space or angle bracket never
 * reaches the wire, so no value can end a command and start another.
 */
final class SmtpSession implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 30_000;
    /** RFC 5321 4.5.3.2 suggests 5 minutes for most replies and 10 for the end of DATA; a smarthost answers faster. */
    static final int READ_TIMEOUT_MS = 120_000;
    private static final int MAX_LINE = 4096;
    /** A mailbox as it may appear between the angle brackets of MAIL FROM / RCPT TO: printable ASCII, no specials. */
    private static final Pattern SAFE_PATH = Pattern.compile("[!#-;=?-Z^-~]+@[A-Za-z0-9.\\-\\[\\]:]+");

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Set<String> extensions = new HashSet<>();
    private final List<String> authMechanisms = new ArrayList<>();
    private boolean broken;

    private SmtpSession() {
    }

    /** Connects and gets ready for mail; a failure says why in the form of an SMTP reply, as the trace shows it. */
    static SmtpSession open(DeliveryConfig.Relay relay, RelayTls tls, String heloName) throws SmtpException {
        SmtpSession s = new SmtpSession();
        try {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(relay.host(), relay.port()), CONNECT_TIMEOUT_MS);
            plain.setSoTimeout(READ_TIMEOUT_MS);
            plain.setTcpNoDelay(true); // each command or pipelined group is flushed whole; Nagle would only add delay
            s.attach(relay.tls() == DeliveryConfig.Tls.IMPLICIT ? tls.handshake(plain, relay.host(), relay.port()) : plain);
            expect(s.read(), 220, "greeting");
            s.ehlo(heloName);
            if (relay.tls() == DeliveryConfig.Tls.STARTTLS) {
                if (!s.extensions.contains("STARTTLS")) {
                    throw new SmtpException("454 4.7.0 relay does not offer STARTTLS; refusing to send in clear text");
                }
                expect(s.command("STARTTLS"), 220, "STARTTLS");
                s.attach(tls.handshake(s.socket, relay.host(), relay.port()));
                s.ehlo(heloName); // RFC 3207 4.2: forget what was learnt before TLS
            }
            if (relay.username().isPresent()) {
                s.authenticate(relay.username().get(), relay.password().orElse(""));
            }
            return s;
        } catch (SmtpException e) {
            s.close();
            throw e;
        } catch (javax.net.ssl.SSLException e) {
            s.close();
            throw new SmtpException("421 4.7.0 TLS failure with " + relay.host() + ":" + relay.port() + ": " + e.getMessage());
        } catch (IOException e) {
            s.close();
            throw new SmtpException("421 4.4.1 cannot reach relay " + relay.host() + ":" + relay.port() + ": " + e.getMessage());
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    private void ehlo(String heloName) throws IOException, SmtpException {
        extensions.clear();
        authMechanisms.clear();
        SmtpReply r = command("EHLO " + heloName);
        if (r.code() >= 500) {
            r = command("HELO " + heloName); // RFC 5321 3.2: an old server may not know EHLO
        }
        expect(r, 250, "EHLO");
        for (String line : r.lines().subList(Math.min(1, r.lines().size()), r.lines().size())) {
            String[] words = line.toUpperCase(Locale.ROOT).trim().split("[ =]+");
            extensions.add(words[0]);
            if (words[0].equals("AUTH")) {
                authMechanisms.addAll(List.of(words).subList(1, words.length));
            }
        }
    }

    private void authenticate(String user, String password) throws IOException, SmtpException {
        SmtpReply r;
        if (authMechanisms.contains("PLAIN")) {
            // RFC 4616: authzid NUL authcid NUL password
            r = command("AUTH PLAIN " + b64("\0" + user + "\0" + password));
        } else if (authMechanisms.contains("LOGIN")) {
            expect(command("AUTH LOGIN"), 334, "AUTH LOGIN");
            expect(command(b64(user)), 334, "AUTH LOGIN");
            r = command(b64(password));
        } else {
            throw new SmtpException("454 4.7.0 relay offers no AUTH PLAIN or LOGIN (offers: " + authMechanisms + ")");
        }
        // A rejected login is our configuration's fault, not the message's: deferred, never bounced (as Postfix does).
        if (r.code() != 235) {
            throw new SmtpException("454 4.7.0 authentication failed: " + r.text());
        }
    }

    boolean usable() {
        return !broken && socket != null && !socket.isClosed();
    }

    /**
     * One mail transaction to make: the reverse path (empty for none), the recipients, and the message, rendered only
     * when its envelope is about to go out, so a run of transactions holds at most two rendered messages.
     */
    record Mail(String from, List<String> recipients, Supplier<MimeSource> message) {
    }

    /**
     * A transaction's envelope after the checks: the outcomes known so far, the recipients that go to the server,
     * and the rendered message (null when nothing goes to the server).
     */
    private record Envelope(int index, Mail mail, DeliveryOutcome[] outcomes, List<Integer> toSend, MimeSource message) {
    }

    /**
     * Makes the transactions in order on this connection: MAIL FROM, RCPT TO for each recipient, DATA. With
     * PIPELINING (RFC 2920) each envelope goes out as one group, and the envelope of the next transaction goes out
     * with the end of the data of the one before, so a message costs one round trip instead of two.
     * @param outcomes  receives at index i, once it is known, one outcome per recipient of {@code mails[i]}, in order
     * @param keepGoing asked before each next transaction is started
     * @throws MessageUnreadable when a message could not be read to its end while it was sent; the connection is
     * then dropped. (One that cannot be rendered at all fails alone, with a temporary failure, before its envelope.)
     * @throws IOException when the connection failed, or the relay's replies made no sense: the transactions without
     * outcomes were not (known to be) made, and the connection is not to be used again
     */
    void send(List<Mail> mails, List<List<DeliveryOutcome>> outcomes, BooleanSupplier keepGoing) throws IOException {
        try {
            if (!extensions.contains("PIPELINING")) {
                for (int i = 0; i < mails.size() && keepGoing.getAsBoolean(); i++) {
                    outcomes.set(i, sendOneByOne(envelope(i, mails.get(i))));
                }
                return;
            }
            Cursor cursor = new Cursor(mails, outcomes, keepGoing);
            Envelope current = cursor.next();
            if (current != null) {
                writeEnvelope(current);
                out.flush();
            }
            while (current != null) {
                Envelope next = finishPipelined(current, cursor);
                outcomes.set(current.index(), List.of(current.outcomes()));
                current = next;
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        } catch (RuntimeException e) {
            broken = true; // replies and commands may be out of step now: the connection is done for
            throw new IOException("SMTP session failed: " + e, e);
        }
    }

    /** Walks the transactions, settling at once those that need no SMTP (every path refused). */
    private static final class Cursor {
        private final List<Mail> mails;
        private final List<List<DeliveryOutcome>> outcomes;
        private final BooleanSupplier keepGoing;
        private int index;

        Cursor(List<Mail> mails, List<List<DeliveryOutcome>> outcomes, BooleanSupplier keepGoing) {
            this.mails = mails;
            this.outcomes = outcomes;
            this.keepGoing = keepGoing;
        }

        /** The next transaction to send, or null when there is none or it is time to stop. */
        Envelope next() {
            while (index < mails.size() && keepGoing.getAsBoolean()) {
                Envelope e = envelope(index, mails.get(index));
                index++;
                if (!e.toSend().isEmpty()) {
                    return e;
                }
                outcomes.set(e.index(), List.of(e.outcomes()));
            }
            return null;
        }
    }

    /**
     * Reads the replies to {@code e}'s envelope (already sent), sends its data or ends it, with the next envelope
     * pipelined behind either, and reads the reply to that.
     * @return the next transaction, whose envelope is on its way, or null
     */
    private Envelope finishPipelined(Envelope e, Cursor cursor) throws IOException {
        SmtpReply mailReply = read();
        List<SmtpReply> rcptReplies = new ArrayList<>(e.toSend().size());
        for (int ignored : e.toSend()) {
            rcptReplies.add(read());
        }
        SmtpReply dataReply = read();
        List<Integer> accepted = accepted(e, mailReply, rcptReplies);
        boolean sendData = !accepted.isEmpty() && dataReply.code() == 354;
        if (sendData) {
            writeData(e.message());
        } else {
            refuseData(e, accepted, dataReply);
            if (dataReply.code() == 354) {
                write("."); // a pipelined DATA answered 354 although no recipient was: an empty message, then RSET
            }
            write("RSET");
        }
        Envelope next = cursor.next();
        if (next != null) {
            writeEnvelope(next);
        }
        out.flush();
        if (sendData) {
            SmtpReply end = read();
            for (int i : accepted) {
                e.outcomes()[i] = DeliveryOutcome.of(end);
            }
        } else {
            if (dataReply.code() == 354) {
                read();
            }
            read(); // RSET
        }
        return next;
    }

    /** One transaction without PIPELINING: each command waits for its reply. */
    private List<DeliveryOutcome> sendOneByOne(Envelope e) throws IOException {
        if (!e.toSend().isEmpty()) {
            SmtpReply mailReply = command(mailCommand(e));
            List<SmtpReply> rcptReplies = new ArrayList<>();
            if (mailReply.positive()) {
                for (int i : e.toSend()) {
                    rcptReplies.add(command("RCPT TO:<" + e.mail().recipients().get(i) + ">"));
                }
            }
            List<Integer> accepted = accepted(e, mailReply, rcptReplies);
            SmtpReply dataReply = accepted.isEmpty() ? null : command("DATA");
            if (dataReply != null && dataReply.code() == 354) {
                writeData(e.message());
                out.flush();
                SmtpReply end = read();
                for (int i : accepted) {
                    e.outcomes()[i] = DeliveryOutcome.of(end);
                }
            } else {
                if (dataReply != null) {
                    refuseData(e, accepted, dataReply);
                }
                command("RSET");
            }
        }
        return List.of(e.outcomes());
    }

    /**
     * The checks before anything is sent: a path that could break a command is refused here (553). Then the message
     * is rendered; one that cannot be is a temporary failure of its own (a local error, as Postfix has them).
     */
    private static Envelope envelope(int index, Mail m) {
        DeliveryOutcome[] outcomes = new DeliveryOutcome[m.recipients().size()];
        if (!m.from().isEmpty() && !safePath(m.from())) {
            fillAll(outcomes, new DeliveryOutcome.PermanentFailure("553 5.1.7 sender address not allowed in an SMTP command"));
            return new Envelope(index, m, outcomes, List.of(), null);
        }
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < m.recipients().size(); i++) {
            if (safePath(m.recipients().get(i))) {
                toSend.add(i);
            } else {
                outcomes[i] = new DeliveryOutcome.PermanentFailure("553 5.1.3 recipient address not allowed in an SMTP command");
            }
        }
        if (toSend.isEmpty()) {
            return new Envelope(index, m, outcomes, toSend, null);
        }
        MimeSource message;
        try {
            message = m.message().get();
        } catch (RuntimeException e) {
            for (int i : toSend) {
                outcomes[i] = new DeliveryOutcome.TemporaryFailure("451 4.3.0 local error: cannot render the message: " + e.getMessage());
            }
            return new Envelope(index, m, outcomes, List.of(), null);
        }
        return new Envelope(index, m, outcomes, toSend, message);
    }

    private void writeEnvelope(Envelope e) throws IOException {
        write(mailCommand(e));
        for (int i : e.toSend()) {
            write("RCPT TO:<" + e.mail().recipients().get(i) + ">");
        }
        write("DATA");
    }

    private String mailCommand(Envelope e) {
        return "MAIL FROM:<" + e.mail().from() + ">" + (extensions.contains("SIZE") ? " SIZE=" + e.message().estimatedSize() : "");
    }

    /**
     * The recipients the server took; the others get their outcome now (a refused MAIL FROM refuses them all).
     * {@code rcptReplies} is empty when MAIL FROM was refused and nothing else was sent.
     */
    private static List<Integer> accepted(Envelope e, SmtpReply mailReply, List<SmtpReply> rcptReplies) {
        List<Integer> accepted = new ArrayList<>();
        for (int k = 0; k < e.toSend().size(); k++) {
            int i = e.toSend().get(k);
            if (!mailReply.positive()) {
                e.outcomes()[i] = DeliveryOutcome.of(mailReply);
            } else if (rcptReplies.get(k).positive()) {
                accepted.add(i);
            } else {
                e.outcomes()[i] = DeliveryOutcome.of(rcptReplies.get(k));
            }
        }
        return accepted;
    }

    /** DATA was refused although recipients were accepted: they fail with that reply (never as delivered). */
    private static void refuseData(Envelope e, List<Integer> accepted, SmtpReply dataReply) {
        for (int i : accepted) {
            e.outcomes()[i] = DeliveryOutcome.of(dataReply.code() < 400
                    ? new SmtpReply(451, List.of("4.5.0 unexpected reply to DATA: " + dataReply.text())) : dataReply);
        }
    }

    /**
     * Streams the message into DATA, rendered as it goes. If it cannot be read to the end, the connection is
     * dropped without the final dot: the server then discards the partial message (RFC 5321 4.1.1.4) rather
     * than deliver it cut short.
     */
    private void writeData(MimeSource message) throws IOException {
        SmtpDataStream data = new SmtpDataStream(out);
        try {
            message.writeTo(new CrlfOutputStream(data));
        } catch (IOException | RuntimeException e) {
            broken = true;
            if (e instanceof IOException io && data.connectionFailed()) {
                throw io;
            }
            throw new MessageUnreadable(e);
        }
        data.finish();
    }

    static boolean safePath(String address) {
        return address != null && address.length() <= 256 && SAFE_PATH.matcher(address).matches();
    }

    private SmtpReply command(String line) throws IOException {
        write(line);
        out.flush();
        return read();
    }

    private void write(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an SMTP command cannot contain CR or LF");
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private SmtpReply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            // RFC 5321 4.2: three digits, then a space, a hyphen (more lines follow) or the end of the line.
            boolean wellFormed = line.length() >= 3 && Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1))
                    && Character.isDigit(line.charAt(2)) && (line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-');
            if (!wellFormed) {
                broken = true;
                throw new IOException("malformed SMTP reply: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(80);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() < MAX_LINE) {
                sb.append((char) c);
            }
        }
        broken = true;
        throw new IOException("connection closed by the relay");
    }

    private static void expect(SmtpReply r, int code, String step) throws SmtpException {
        if (r.code() != code) {
            String text = r.text();
            throw new SmtpException(r.code() >= 400 && r.code() < 500 ? text : "451 4.3.0 " + step + " refused: " + text);
        }
    }

    private static void fillAll(DeliveryOutcome[] outcomes, DeliveryOutcome o) {
        java.util.Arrays.fill(outcomes, o);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            if (usable()) {
                socket.setSoTimeout(5_000);
                command("QUIT");
            }
        } catch (IOException | RuntimeException e) {
            // the connection is going away either way
        } finally {
            broken = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    /** The message could not be read or rendered while it was sent: not the relay's fault, so not worth a retry there. */
    static final class MessageUnreadable extends IOException {
        MessageUnreadable(Exception cause) {
            super("cannot read the message: " + cause.getMessage(), cause);
        }
    }

    /** A connection-level failure, phrased as the SMTP reply the trace records; always temporary. */
    static final class SmtpException extends Exception {
        SmtpException(String reply) {
            super(reply);
        }
    }
}
