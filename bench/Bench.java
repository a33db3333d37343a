import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Graft against Postfix on the same machine: the same messages, from the same number of concurrent clients,
 * relayed to the same smtp-sink, in alternating rounds. Run by bench/run, which installs Postfix and cleans up.
 *
 * <pre>java Bench.java --launcher ./graft --work DIR --out results/latest.json [--quick]</pre>
 *
 * Everything listens on 127.0.0.1 only. Every process this program starts is stopped before it returns.
 */
public final class Bench {
    static final String HOST = "127.0.0.1";
    static final int POSTFIX_PORT = 2525;
    static final int SINK_PORT = 2526;
    static final int CRASH_SINK_PORT = 2527;
    static final int CLIENTS = 20;
    static final String TENANT = "6f1c2d3e-0000-4000-8000-0000000000b1";
    static final String CLIENT_ID = "2b9e1a4c-0000-4000-8000-0000000000b2";
    static final String SECRET = "bench-secret";
    static final String SENDER = "alice@bench.test";
    static final String LOCAL_RCPT = "bob@bench.test";
    static final String EXTERNAL_RCPT = "to@example.org";
    static final long CLK_TCK = 100;

    final Path launcher;
    final Path work;
    final Path out;
    final boolean quick;
    final List<Process> started = new ArrayList<>();
    final Path postfixDir;
    Process sink;
    Path sinkOut;
    int graftPort;

    /** Graft's rounds only, for comparing two builds of Graft: no Postfix, no ratios, nothing written. */
    final boolean graftOnly;
    /** With --postgres: Graft's rounds on this PostgreSQL (a fresh database per round) instead of SQLite. */
    final String pgUrl = System.getenv().getOrDefault("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/graft_bench");
    boolean postgres;

    Bench(Path launcher, Path work, Path out, boolean quick, boolean graftOnly) {
        this.launcher = launcher;
        this.work = work;
        this.out = out;
        this.quick = quick;
        this.graftOnly = graftOnly;
        this.postfixDir = work.resolve("postfix");
    }

    public static void main(String[] args) throws Exception {
        Path launcher = null, work = null, out = null;
        boolean quick = false, graftOnly = false, postgres = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--launcher" -> launcher = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--graft-only" -> graftOnly = true;
                case "--postgres" -> postgres = graftOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Bench b = new Bench(launcher, work, out, quick, graftOnly);
        b.postgres = postgres;
        try {
            b.run();
        } finally {
            b.stopAll();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- plan

    void run() throws Exception {
        int rounds = quick ? 3 : 5;
        int n = quick ? 3000 : 20000;
        int warm = quick ? 4000 : 12000; // the JIT compiles for a while: measure after it has settled
        int nBig = quick ? 400 : 2000;
        int crashN = quick ? 4000 : 10000;
        double halfSeconds = quick ? 5 : 15;
        log("mode " + (quick ? "quick" : "full") + ": " + rounds + " alternating rounds of " + n + " x 2 KB from "
                + CLIENTS + " clients (+" + warm + " warm-up), " + nBig + " x 100 KB, crash round of up to " + crashN);

        startSink();
        if (graftOnly) {
            graftRounds(rounds, n, warm);
            return;
        }
        startPostfix();
        // Warm Postfix's processes once too, so neither side is measured cold.
        smtpLoad(warm, 2048, "warm");
        waitSink(sinkCount() , 0);

        List<Result> graft = new ArrayList<>(), postfix = new ArrayList<>();
        List<Result> graftBig = new ArrayList<>(), postfixBig = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            graft.add(graftRound(r, n, warm, r <= (quick ? 1 : 3) ? nBig : 0, graftBig));
            Result pres = postfixRound(n, 2048, "r" + r);
            postfix.add(pres);
            log(pres.line("postfix #" + r + " 2KB"));
            if (r <= (quick ? 1 : 3)) {
                Result big = postfixRound(nBig, 100 * 1024, "big" + r);
                postfixBig.add(big);
                log(big.line("postfix #" + r + " 100KB"));
            }
        }

        Result half = halfPeak(median(graft, x -> x.acceptPerSec), warm, halfSeconds);

        stopPostfix();
        int lost = crashRound(crashN);

        report(graft, postfix, graftBig, postfixBig, half, lost);
    }

    /**
     * One Graft round: a fresh process (the launcher, a new store), warmed up, then {@code n} sends of 2 KB and, when
     * {@code nBig} is above 0, {@code nBig} of 100 KB (added to {@code big}).
     */
    Result graftRound(int r, int n, int warm, int nBig, List<Result> big) throws Exception {
        Graft g = startGraft("round" + r, SINK_PORT);
        try {
            g.send(warm, 2048, CLIENTS, "warm" + r);
            waitSink(sinkCount(), 0);
            Result res = g.round(n, 2048, "r" + r);
            log(res.line("graft   #" + r + " 2KB"));
            if (nBig > 0) {
                Result b = g.round(nBig, 100 * 1024, "big" + r);
                big.add(b);
                log(b.line("graft   #" + r + " 100KB"));
            }
            return res;
        } finally {
            g.stop();
        }
    }

    /** Open loop at half of Graft's peak, on a fresh warmed-up process. */
    Result halfPeak(double peak, int warm, double seconds) throws Exception {
        Graft g = startGraft("halfpeak", SINK_PORT);
        try {
            g.send(warm, 2048, CLIENTS, "warmh");
            waitSink(sinkCount(), 0);
            Result half = g.openLoop(peak / 2, seconds);
            log(half.line("graft open loop at " + Math.round(peak / 2) + "/s"));
            return half;
        } finally {
            g.stop();
        }
    }

    /** Graft alone, as in the alternating rounds: to compare builds of Graft with each other, not with Postfix. */
    void graftRounds(int rounds, int n, int warm) throws Exception {
        List<Result> graft = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            graft.add(graftRound(r, n, warm, 0, new ArrayList<>()));
        }
        halfPeak(median(graft, x -> x.acceptPerSec), warm, quick ? 5 : 15);
        log(String.format(Locale.ROOT, "graft only" + (postgres ? " on PostgreSQL" : "") + ", medians of %d rounds: accepted %.0f/s, delivered %.0f/s, p99 %.1f ms, cpu %.2f ms/msg",
                rounds, median(graft, x -> x.acceptPerSec), median(graft, x -> x.deliveredPerSec), median(graft, x -> x.p99),
                median(graft, x -> x.cpuMsPerMessage)));
    }

    // ---------------------------------------------------------------- results

    static final class Result {
        int n;
        double acceptPerSec, deliveredPerSec, p50, p99, max, cpuMsPerMessage, peakRssMb, startupMs = Double.NaN;
        int errors;

        String line(String name) {
            return String.format(Locale.ROOT, "%-26s accepted %7.0f/s  delivered %7.0f/s  p50 %6.1f ms  p99 %6.1f ms  max %7.1f ms  "
                    + "cpu %5.2f ms/msg  rss %5.0f MB%s%s", name, acceptPerSec, deliveredPerSec, p50, p99, max, cpuMsPerMessage, peakRssMb,
                    Double.isNaN(startupMs) ? "" : String.format(Locale.ROOT, "  startup %5.0f ms", startupMs),
                    errors > 0 ? "  ERRORS " + errors : "");
        }
    }

    interface Field {
        double of(Result r);
    }

    /** One side's figures for the JSON: medians of its rounds (the highest for the 100 KB peak memory). */
    static Map<String, Object> figures(List<Result> rounds, List<Result> big) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("acceptPerSec", r0(median(rounds, r -> r.acceptPerSec)));
        f.put("deliveredPerSec", r0(median(rounds, r -> r.deliveredPerSec)));
        f.put("p50Ms", r1(median(rounds, r -> r.p50)));
        f.put("p99Ms", r1(median(rounds, r -> r.p99)));
        f.put("maxMs", r1(median(rounds, r -> r.max)));
        f.put("cpuMsPerMessage", r2(median(rounds, r -> r.cpuMsPerMessage)));
        f.put("peakRssMb", r0(median(rounds, r -> r.peakRssMb)));
        f.put("acceptPerSec100k", r0(median(big, r -> r.acceptPerSec)));
        f.put("deliveredPerSec100k", r0(median(big, r -> r.deliveredPerSec)));
        f.put("cpuMsPerMessage100k", r2(median(big, r -> r.cpuMsPerMessage)));
        f.put("peakRssMb100k", r0(highest(big, r -> r.peakRssMb)));
        f.put("roundsAcceptPerSec", rounds.stream().map(r -> r0(r.acceptPerSec)).toList());
        return f;
    }

    /** The highest value over the rounds (for peaks: the median would hide the worst round). */
    static double highest(List<Result> rs, Field f) {
        return rs.stream().mapToDouble(f::of).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    static double median(List<Result> rs, Field f) {
        double[] v = rs.stream().mapToDouble(f::of).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    void report(List<Result> graft, List<Result> postfix, List<Result> graftBig, List<Result> postfixBig, Result half, int lost)
            throws IOException {
        double gA = median(graft, r -> r.acceptPerSec), pA = median(postfix, r -> r.acceptPerSec);
        double gD = median(graft, r -> r.deliveredPerSec), pD = median(postfix, r -> r.deliveredPerSec);
        double gC = median(graft, r -> r.cpuMsPerMessage), pC = median(postfix, r -> r.cpuMsPerMessage);
        String[][] rows = {
                {"accepted/s", f0(gA), f0(pA), ratio(gA, pA)},
                {"delivered end-to-end/s", f0(gD), f0(pD), ratio(gD, pD)},
                {"accept p50 (ms)", f1(median(graft, r -> r.p50)), f1(median(postfix, r -> r.p50)), ""},
                {"accept p99 (ms)", f1(median(graft, r -> r.p99)), f1(median(postfix, r -> r.p99)), ""},
                {"accept max (ms)", f1(median(graft, r -> r.max)), f1(median(postfix, r -> r.max)), ""},
                {"CPU ms per message", f2(gC), f2(pC), ratio(gC, pC)},
                {"peak RSS MB (Postfix PSS)", f0(median(graft, r -> r.peakRssMb)), f0(median(postfix, r -> r.peakRssMb)), ""},
                {"100 KB accepted/s", f0(median(graftBig, r -> r.acceptPerSec)), f0(median(postfixBig, r -> r.acceptPerSec)),
                        ratio(median(graftBig, r -> r.acceptPerSec), median(postfixBig, r -> r.acceptPerSec))},
                {"100 KB delivered/s", f0(median(graftBig, r -> r.deliveredPerSec)), f0(median(postfixBig, r -> r.deliveredPerSec)),
                        ratio(median(graftBig, r -> r.deliveredPerSec), median(postfixBig, r -> r.deliveredPerSec))},
                {"100 KB CPU ms per message", f2(median(graftBig, r -> r.cpuMsPerMessage)), f2(median(postfixBig, r -> r.cpuMsPerMessage)),
                        ratio(median(graftBig, r -> r.cpuMsPerMessage), median(postfixBig, r -> r.cpuMsPerMessage))},
                {"100 KB peak RSS MB, highest", f0(highest(graftBig, r -> r.peakRssMb)), f0(highest(postfixBig, r -> r.peakRssMb)), ""},
                {"p99 at half peak (ms)", f1(half.p99) + " @" + f0(half.acceptPerSec) + "/s", "", ""},
                {"start-up to first 202 (ms)", f0(median(graft, r -> r.startupMs)), "", ""},
                {"lost after crash", String.valueOf(lost), "", ""},
        };
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n| %-27s | %14s | %10s | %12s |%n", "medians of " + graft.size() + " rounds", "Graft", "Postfix", "Graft/Postfix"));
        t.append("|-----------------------------|----------------|------------|---------------|\n");
        for (String[] row : rows) {
            t.append(String.format(Locale.ROOT, "| %-27s | %14s | %10s | %13s |%n", (Object[]) row));
        }
        System.out.println(t);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("mode", quick ? "quick" : "full");
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        json.put("clients", CLIENTS);
        json.put("messagesPerRound", graft.isEmpty() ? 0 : graft.get(0).n);
        json.put("rounds", graft.size());
        Map<String, Object> g = figures(graft, graftBig);
        g.put("startupMs", r0(median(graft, r -> r.startupMs)));
        g.put("p99MsAtHalfPeak", r1(half.p99));
        g.put("halfPeakRate", r0(half.acceptPerSec));
        json.put("graft", g);
        Map<String, Object> p = figures(postfix, postfixBig);
        json.put("postfix", p);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("accept", r2(gA / pA));
        ratios.put("delivered", r2(gD / pD));
        ratios.put("cpuPerMessage", r2(gC / pC));
        json.put("ratios", ratios);
        json.put("lostAfterCrash", lost);
        Files.createDirectories(out.getParent());
        Files.writeString(out, toJson(json, "") + "\n");
        log("wrote " + out);
    }

    static String f0(double d) { return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.0f", d); }
    static String f1(double d) { return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1f", d); }
    static String f2(double d) { return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.2f", d); }
    static String ratio(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "" : String.format(Locale.ROOT, "%.2f×", a / b); }
    static Object r0(double d) { return Double.isNaN(d) ? null : Math.round(d); }
    static Object r1(double d) { return Double.isNaN(d) ? null : Math.round(d * 10) / 10.0; }
    static Object r2(double d) { return Double.isNaN(d) || Double.isInfinite(d) ? null : Math.round(d * 100) / 100.0; }

    static String toJson(Object o, String indent) {
        if (o == null) return "null";
        if (o instanceof Number || o instanceof Boolean) return o.toString();
        if (o instanceof String s) return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        if (o instanceof List<?> l) return "[" + String.join(", ", l.stream().map(x -> toJson(x, indent)).toList()) + "]";
        Map<?, ?> m = (Map<?, ?>) o;
        String in = indent + "  ";
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(in + "\"" + k + "\": " + toJson(v, in)));
        return "{\n" + String.join(",\n", parts) + "\n" + indent + "}";
    }

    static void log(String s) {
        System.out.println("bench: " + s);
        System.out.flush();
    }

    // ---------------------------------------------------------------- processes

    Process spawn(List<String> cmd, Path stdout, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        Files.writeString(work.resolve("pids"), p.pid() + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return p;
    }

    void stopAll() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        try {
            stopPostfix();
        } catch (Exception ignored) {
            // bench/run stops it again
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void runChecked(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    static void waitForPort(int port, long timeoutMs) throws InterruptedException, IOException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IOException("nothing listens on " + HOST + ":" + port + " after " + timeoutMs + " ms");
    }

    static void requireFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            throw new IOException(HOST + ":" + port + " is in use; the benchmark needs it", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- smtp-sink

    void startSink() throws Exception {
        requireFree(SINK_PORT);
        sinkOut = work.resolve("sink.out");
        sink = spawn(List.of("smtp-sink", "-u", "root", "-c", HOST + ":" + SINK_PORT, "1024"), sinkOut, Map.of());
        waitForPort(SINK_PORT, 10_000);
    }

    static final Pattern MESG = Pattern.compile("mesg=(\\d+)");

    static long counterIn(Path file) {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            int len = (int) Math.min(size, 200);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(len);
            ch.read(buf, size - len);
            Matcher m = MESG.matcher(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        } catch (IOException e) {
            return 0;
        }
    }

    long sinkCount() {
        return counterIn(sinkOut);
    }

    /** Waits until the sink has seen {@code base + n} messages (bounded); returns when it got there, or -1. */
    long waitSink(long base, long n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long last = -1, lastChange = System.nanoTime();
        while (System.nanoTime() < end) {
            long c = sinkCount();
            if (c >= base + n) {
                // with n == 0, wait until the count stops moving: the queue of the previous phase is drained
                if (n > 0 || (c == last && System.nanoTime() - lastChange > 600_000_000L)) {
                    return System.nanoTime();
                }
            }
            if (c != last) {
                last = c;
                lastChange = System.nanoTime();
            }
            Thread.sleep(n > 0 ? 2 : 50);
        }
        log("warning: the sink did not reach " + (base + n) + " messages (has " + sinkCount() + ")");
        return -1;
    }

    // ---------------------------------------------------------------- CPU and memory from /proc

    static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return new long[]{Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (Exception e) {
            return null;
        }
    }

    static long rssKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // gone
        }
        return 0;
    }

    /** A fresh store for each round: drops the round's database of an earlier run (with dropdb; Graft creates it). */
    static void dropDatabase(String jdbcUrl, String user, String password) {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([A-Za-z0-9_]+)").matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("BENCH_PG_URL: expected jdbc:postgresql://host[:port]/name, got " + jdbcUrl);
        }
        ProcessBuilder pb = new ProcessBuilder("dropdb", "--if-exists", "-h", m.group(1), "-p", m.group(2) == null ? "5432" : m.group(2),
                "-U", user, m.group(3)).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("dropdb " + m.group(3) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("--postgres needs dropdb (postgresql-client) to start each round on a fresh database", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU ticks of every PostgreSQL server process on this machine (a round's share is the difference). */
    static long postgresTicks() {
        long sum = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String s = Files.readString(d.resolve("stat"));
                    if (s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).startsWith("postgres")) {
                        sum += ticks(Long.parseLong(d.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited while listed
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    /** CPU ticks of one process (its own plus its reaped children's). */
    static long ticks(long pid) {
        long[] s = stat(pid);
        return s == null ? 0 : s[1] + s[2] + s[3] + s[4];
    }

    /** CPU ticks per thread name (digits folded, so a pool's threads add up). */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String s = Files.readString(t.resolve("stat"));
                    String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        return out;
    }

    long postfixMaster() {
        try {
            return Long.parseLong(Files.readString(postfixDir.resolve("queue/pid/master.pid")).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    static List<Long> children(long parent) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> ps = Files.list(Path.of("/proc"))) {
            for (Path p : ps.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long pid = Long.parseLong(name);
                long[] s = stat(pid);
                if (s != null && s[0] == parent) out.add(pid);
            }
        } catch (IOException ignored) {
            // best effort
        }
        return out;
    }

    /** Postfix's CPU: master (with the children it reaped) plus every child still running. */
    long postfixTicks() {
        long master = postfixMaster();
        long t = ticks(master);
        for (long c : children(master)) {
            long[] s = stat(c);
            if (s != null) t += s[1] + s[2] + s[3] + s[4];
        }
        return t;
    }

    /** Postfix's memory: the proportional set size of its processes (RSS would count shared libraries once per process). */
    long postfixRssKb() {
        long master = postfixMaster();
        long t = pssKb(master);
        for (long c : children(master)) t += pssKb(c);
        return t;
    }

    static long pssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // gone
        }
        return 0;
    }

    // ---------------------------------------------------------------- Postfix

    void startPostfix() throws Exception {
        requireFree(POSTFIX_PORT);
        Path etc = postfixDir.resolve("etc"), queue = postfixDir.resolve("queue"), data = postfixDir.resolve("data");
        Files.createDirectories(etc);
        Files.createDirectories(queue);
        Files.createDirectories(data);
        runChecked("chown", "postfix", data.toString());
        Files.writeString(etc.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = bench.localdomain",
                "mydomain = localdomain",
                "myorigin = localdomain",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "relayhost = [127.0.0.1]:" + SINK_PORT,
                "default_transport = smtp",
                "relay_transport = smtp",
                "smtpd_relay_restrictions = permit_mynetworks, reject",
                "smtp_tls_security_level = none",
                "smtpd_tls_security_level = none",
                "maillog_file_prefixes = " + postfixDir,
                "maillog_file = " + postfixDir.resolve("maillog"),
                "alias_maps =",
                "alias_database =",
                "local_recipient_maps =",
                "biff = no",
                "") );
        // Only the services a relay needs, none chrooted; smtpd on 127.0.0.1 only.
        Files.writeString(etc.resolve("master.cf"), String.join("\n",
                HOST + ":" + POSTFIX_PORT + " inet n - n - - smtpd",
                "pickup    unix  n - n 60 1 pickup",
                "cleanup   unix  n - n - 0 cleanup",
                "qmgr      unix  n - n 300 1 qmgr",
                "rewrite   unix  - - n - - trivial-rewrite",
                "bounce    unix  - - n - 0 bounce",
                "defer     unix  - - n - 0 bounce",
                "trace     unix  - - n - 0 bounce",
                "verify    unix  - - n - 1 verify",
                "flush     unix  n - n 1000? 0 flush",
                "proxymap  unix  - - n - - proxymap",
                "proxywrite unix - - n - 1 proxymap",
                "smtp      unix  - - n - - smtp",
                "relay     unix  - - n - - smtp",
                "showq     unix  n - n - - showq",
                "error     unix  - - n - - error",
                "retry     unix  - - n - - error",
                "discard   unix  - - n - - discard",
                "anvil     unix  - - n - 1 anvil",
                "scache    unix  - - n - 1 scache",
                "postlog   unix-dgram n - n - 1 postlogd",
                ""));
        runChecked("postfix", "-c", etc.toString(), "start");
        waitForPort(POSTFIX_PORT, 15_000);
    }

    void stopPostfix() throws Exception {
        if (postfixMaster() > 0 && Files.exists(postfixDir.resolve("etc/main.cf"))) {
            runChecked("postfix", "-c", postfixDir.resolve("etc").toString(), "stop");
            Files.deleteIfExists(postfixDir.resolve("queue/pid/master.pid"));
        }
    }

    Result postfixRound(int n, int size, String tag) throws Exception {
        long base = sinkCount();
        long cpu0 = postfixTicks();
        AtomicLong peakRss = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(postfixRssKb(), Math::max);
                try { Thread.sleep(100); } catch (InterruptedException e) { return; }
            }
        });
        Load load = smtpLoad(n, size, tag);
        long delivered = waitSink(base, n);
        long cpu1 = postfixTicks();
        sampler.interrupt();
        Result r = load.result();
        r.deliveredPerSec = delivered < 0 ? Double.NaN : n / ((delivered - load.start) / 1e9);
        r.cpuMsPerMessage = (cpu1 - cpu0) * 1000.0 / CLK_TCK / n;
        r.peakRssMb = peakRss.get() / 1024.0;
        return r;
    }

    static byte[] smtpMessage(int size, String subject) {
        StringBuilder m = new StringBuilder();
        m.append("From: Alice <").append(SENDER).append(">\r\nTo: <").append(EXTERNAL_RCPT).append(">\r\nSubject: ").append(subject)
                .append("\r\nMessage-ID: <").append(subject.replace(' ', '.')).append("@bench.test>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        while (m.length() < size - 80) {
            m.append(line(m.length())).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String line(int seed) {
        String words = "the quick brown fox jumps over the lazy dog and sends mail through graph to a smarthost ";
        StringBuilder b = new StringBuilder(76);
        int i = seed % words.length();
        while (b.length() < 76) {
            b.append(words.charAt(i++ % words.length()));
        }
        return b.toString().trim().isEmpty() ? "x" : b.toString();
    }

    /** Closed loop over SMTP: {@link #CLIENTS} sessions, each reused for its messages (pipelined envelope). */
    Load smtpLoad(int n, int size, String tag) throws Exception {
        Load load = new Load(n);
        AtomicInteger next = new AtomicInteger();
        load.start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Smtp s = new Smtp(POSTFIX_PORT)) {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        byte[] msg = smtpMessage(size, "bench-" + tag + " " + i);
                        long t = System.nanoTime();
                        if (s.send(SENDER, EXTERNAL_RCPT, msg)) {
                            load.record(i, System.nanoTime() - t);
                        } else {
                            load.errors.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    load.errors.incrementAndGet();
                    log("smtp client: " + e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        load.end = System.nanoTime();
        return load;
    }

    static final class Smtp implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Smtp(int port) throws IOException {
            socket = new Socket(HOST, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(220);
            out.write("EHLO bench.client\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(250);
        }

        boolean send(String from, String to, byte[] message) throws IOException {
            // RFC 2920: MAIL, RCPT and DATA in one flight; the message after DATA's 354.
            out.write(("MAIL FROM:<" + from + ">\r\nRCPT TO:<" + to + ">\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean ok = reply() / 100 == 2;
            ok &= reply() / 100 == 2;
            int data = reply();
            if (data != 354) {
                return false;
            }
            out.write(message);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply() == 250 && ok;
        }

        void expect(int code) throws IOException {
            int r = reply();
            if (r != code) throw new IOException("SMTP reply " + r + ", expected " + code);
        }

        int reply() throws IOException {
            while (true) {
                StringBuilder line = new StringBuilder();
                int ch;
                while ((ch = in.read()) != '\n') {
                    if (ch < 0) throw new IOException("SMTP connection closed");
                    line.append((char) ch);
                }
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return Integer.parseInt(line.substring(0, 3));
                }
            }
        }

        @Override
        public void close() {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    // ---------------------------------------------------------------- load bookkeeping

    static final class Load {
        final long[] latency;
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        long start, end;

        Load(int n) {
            latency = new long[n];
            Arrays.fill(latency, -1);
        }

        void record(int i, long nanos) {
            latency[i] = nanos;
            ok.incrementAndGet();
            acked.add(i);
        }

        Result result() {
            long[] v = Arrays.stream(latency).filter(x -> x >= 0).sorted().toArray();
            Result r = new Result();
            r.n = latency.length;
            r.errors = errors.get();
            r.acceptPerSec = v.length / ((end - start) / 1e9);
            if (v.length > 0) {
                r.p50 = v[(int) Math.min(v.length - 1, Math.floor(v.length * 0.50))] / 1e6;
                r.p99 = v[(int) Math.min(v.length - 1, Math.floor(v.length * 0.99))] / 1e6;
                r.max = v[v.length - 1] / 1e6;
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- Graft

    Graft startGraft(String name, int relayPort) throws Exception {
        Graft g = new Graft(name, relayPort);
        g.start();
        return g;
    }

    final class Graft {
        final String name;
        final Path dir;
        final int relayPort;
        Process process;
        String token;
        double startupMs;

        Graft(String name, int relayPort) throws IOException {
            this.name = name;
            this.dir = work.resolve("graft-" + name);
            this.relayPort = relayPort;
            Files.createDirectories(dir);
        }

        void start() throws Exception {
            if (graftPort == 0) {
                graftPort = freePort();
            }
            Path config = dir.resolve("graft.yaml");
            Files.writeString(config, """
                    http:
                      host: 127.0.0.1
                      port: %d
                    dataDir: ./data
                    %s
                    delivery:
                      relay: { host: 127.0.0.1, port: %d, tls: none }
                    tenants:
                      - id: %s
                        domain: bench.test
                        outbound: relay
                        users:
                          - { userPrincipalName: alice@bench.test, displayName: Alice Adams, password: alice-pw }
                          - { userPrincipalName: bob@bench.test, displayName: Bob Brown, password: bob-pw }
                        applications:
                          - clientId: %s
                            clientSecret: %s
                            roles: [Mail.Send, Mail.ReadWrite]
                            scopes: [Mail.Send]
                    """.formatted(graftPort, storeLine(), relayPort, TENANT, CLIENT_ID, SECRET));
            long t0 = System.nanoTime();
            process = spawn(List.of(launcher.toString(), "serve", "--config", config.toString()), dir.resolve("graft.log"), Map.of());
            // Start-up: from spawning the launcher to the first 202 of a sendMail (a token fetched on the way).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (token == null) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("Graft did not start; see " + dir.resolve("graft.log") + ":\n" + tail(dir.resolve("graft.log")));
                }
                try (Http h = new Http(graftPort)) {
                    token = h.token();
                } catch (IOException e) {
                    Thread.sleep(5);
                }
            }
            try (Http h = new Http(graftPort)) {
                int status = h.sendMail(token, sendMailBody(1024, "bench-start-" + name));
                if (status != 202) throw new IOException("first sendMail answered " + status);
            }
            startupMs = (System.nanoTime() - t0) / 1e6;
            log("graft " + name + " (pid " + process.pid() + ") answered its first 202 after " + Math.round(startupMs) + " ms");
        }

        /** SQLite in the data directory, or with --postgres a database of this round's own on the PostgreSQL server. */
        String storeLine() {
            if (!postgres) {
                return "";
            }
            String user = System.getenv().getOrDefault("BENCH_PG_USER", "graft");
            String password = System.getenv().getOrDefault("BENCH_PG_PASSWORD", "graft");
            String url = pgUrl + "_" + name.replaceAll("[^a-z0-9]", "");
            dropDatabase(url, user, password);
            return "store: { url: \"" + url + "\", user: " + user + ", password: \"" + password + "\" }";
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor();
        }

        Load send(int n, int size, int clients, String tag) throws Exception {
            Load load = new Load(n);
            AtomicInteger next = new AtomicInteger();
            load.start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    Http h = null;
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        byte[] body = sendMailBody(size, "bench-" + tag + " " + i);
                        long t = System.nanoTime();
                        try {
                            if (h == null) h = new Http(graftPort);
                            int status = h.sendMail(token, body);
                            if (status == 202) {
                                load.record(i, System.nanoTime() - t);
                            } else {
                                load.errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            load.errors.incrementAndGet();
                            if (h != null) h.close();
                            h = null;
                            if (!process.isAlive()) return;
                        }
                    }
                    if (h != null) h.close();
                }));
            }
            for (Thread t : threads) t.join();
            load.end = System.nanoTime();
            return load;
        }

        Result round(int n, int size, String tag) throws Exception {
            long pid = process.pid();
            long base = sinkCount();
            long cpu0 = ticks(pid);
            long db0 = postgres ? postgresTicks() : 0;
            Map<String, Long> threads0 = threadTicks(pid);
            Load load = send(n, size, CLIENTS, tag);
            long delivered = waitSink(base, n);
            long cpu1 = ticks(pid);
            if (postgres) {
                log(String.format(Locale.ROOT, "postgresql server CPU: %.2f ms per message", (postgresTicks() - db0) * 1000.0 / CLK_TCK / n));
            }
            if (System.getenv("BENCH_THREADS") != null) {
                Map<String, Long> threads1 = threadTicks(pid);
                StringBuilder b = new StringBuilder("graft CPU by thread (ms per message):");
                threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                        .forEach(e -> b.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), e.getValue() * 1000.0 / CLK_TCK / n)));
                log(b.toString());
            }
            Result r = load.result();
            r.deliveredPerSec = delivered < 0 ? Double.NaN : n / ((delivered - load.start) / 1e9);
            r.cpuMsPerMessage = (cpu1 - cpu0) * 1000.0 / CLK_TCK / n;
            r.peakRssMb = rssKb(pid, "VmHWM") / 1024.0;
            r.startupMs = startupMs;
            return r;
        }

        /** Open loop: message i is due at start + i/rate whatever happened before; latency counts from when it was due. */
        Result openLoop(double rate, double seconds) throws Exception {
            int n = (int) (rate * seconds);
            Load load = new Load(n);
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime() + 50_000_000L;
            load.start = start;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    Http h = null;
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        long due = start + (long) (i * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        byte[] body = sendMailBody(2048, "bench-open " + i);
                        try {
                            if (h == null) h = new Http(graftPort);
                            if (h.sendMail(token, body) == 202) {
                                load.record(i, System.nanoTime() - due);
                            } else {
                                load.errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            load.errors.incrementAndGet();
                            if (h != null) h.close();
                            h = null;
                        }
                    }
                    if (h != null) h.close();
                }));
            }
            for (Thread t : threads) t.join();
            load.end = System.nanoTime();
            Result r = load.result();
            r.acceptPerSec = rate;
            r.deliveredPerSec = Double.NaN;
            r.cpuMsPerMessage = Double.NaN;
            return r;
        }

        /** Subjects of everything in the sender's Sent Items, read back through Graph. */
        Set<String> sentSubjects() throws IOException {
            Set<String> subjects = new HashSet<>();
            Pattern subject = Pattern.compile("\"subject\":\"([^\"]*)\"");
            try (Http h = new Http(graftPort)) {
                for (int skip = 0; ; skip += 1000) {
                    String body = h.get(token, "/v1.0/users/" + SENDER + "/mailFolders/sentitems/messages?$select=subject&$top=1000&$skip=" + skip);
                    Matcher m = subject.matcher(body);
                    int found = 0;
                    while (m.find()) {
                        subjects.add(m.group(1));
                        found++;
                    }
                    if (found < 1000) return subjects;
                }
            }
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    static byte[] sendMailBody(int size, String subject) {
        StringBuilder content = new StringBuilder();
        while (content.length() < size - 330) {
            content.append(line(content.length())).append("\\n");
        }
        return ("{\"message\":{\"subject\":\"" + subject + "\",\"body\":{\"contentType\":\"Text\",\"content\":\"" + content
                + "\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + LOCAL_RCPT + "\"}},{\"emailAddress\":{\"address\":\""
                + EXTERNAL_RCPT + "\"}}]},\"saveToSentItems\":true}").getBytes(StandardCharsets.UTF_8);
    }

    /** A minimal HTTP/1.1 client on one kept-alive connection: cheap enough that the driver is never the bottleneck. */
    static final class Http implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final int port;
        String lastBody = "";

        Http(int port) throws IOException {
            this.port = port;
            socket = new Socket();
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        String token() throws IOException {
            String form = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET
                    + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
            int status = request("POST", "/" + TENANT + "/oauth2/v2.0/token", null, "application/x-www-form-urlencoded",
                    form.getBytes(StandardCharsets.US_ASCII), true);
            if (status != 200) throw new IOException("token endpoint answered " + status + ": " + lastBody);
            Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(lastBody);
            if (!m.find()) throw new IOException("no access_token in " + lastBody);
            return m.group(1);
        }

        int sendMail(String token, byte[] body) throws IOException {
            return request("POST", "/v1.0/users/" + SENDER + "/sendMail", token, "application/json", body, false);
        }

        String get(String token, String path) throws IOException {
            int status = request("GET", path, token, null, null, true);
            if (status != 200) throw new IOException("GET " + path + " answered " + status + ": " + lastBody);
            return lastBody;
        }

        int request(String method, String path, String token, String type, byte[] body, boolean keepBody) throws IOException {
            StringBuilder h = new StringBuilder(256);
            h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(HOST).append(':').append(port).append("\r\n");
            if (token != null) h.append("Authorization: Bearer ").append(token).append("\r\n");
            if (type != null) h.append("Content-Type: ").append(type).append("\r\n");
            if (body != null) h.append("Content-Length: ").append(body.length).append("\r\n");
            h.append("\r\n");
            out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) out.write(body);
            out.flush();
            String status = readLine();
            if (status == null || status.length() < 12) throw new IOException("connection closed");
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
            }
            java.io.ByteArrayOutputStream kept = keepBody ? new java.io.ByteArrayOutputStream() : null;
            if (chunked) {
                while (true) {
                    String size = readLine();
                    if (size == null) throw new IOException("connection closed in a chunk");
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while ((line = readLine()) != null && !line.isEmpty()) { /* trailers */ }
                        break;
                    }
                    copy(n, kept);
                    readLine();
                }
            } else if (length > 0) {
                copy(length, kept);
            }
            lastBody = kept == null ? "" : kept.toString(StandardCharsets.UTF_8);
            return code;
        }

        void copy(long n, java.io.ByteArrayOutputStream to) throws IOException {
            byte[] buf = new byte[8192];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) throw new IOException("connection closed in a body");
                if (to != null) to.write(buf, 0, r);
                n -= r;
            }
        }

        String readLine() throws IOException {
            StringBuilder b = new StringBuilder(64);
            int ch;
            while ((ch = in.read()) != '\n') {
                if (ch < 0) return b.isEmpty() ? null : b.toString();
                if (ch != '\r') b.append((char) ch);
            }
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    // ---------------------------------------------------------------- crash round

    /**
     * SIGKILL Graft in the middle of a load, start it again on the same data, let the outbox drain, then count the
     * messages that got a 202 but are missing from Sent Items or never reached the sink (which keeps every message).
     */
    int crashRound(int n) throws Exception {
        requireFree(CRASH_SINK_PORT);
        Path dumps = work.resolve("crash-sink");
        Files.createDirectories(dumps);
        Process dumpSink = spawn(List.of("smtp-sink", "-u", "root", "-c", "-d", dumps.resolve("m").toString(), HOST + ":" + CRASH_SINK_PORT, "256"),
                work.resolve("crash-sink.out"), Map.of());
        waitForPort(CRASH_SINK_PORT, 10_000);
        Graft g = startGraft("crash", CRASH_SINK_PORT);
        Load[] load = new Load[1];
        Thread driver = Thread.ofPlatform().start(() -> {
            try {
                load[0] = g.send(n, 2048, CLIENTS, "crash");
            } catch (Exception e) {
                log("crash load: " + e);
            }
        });
        Thread.sleep(quick ? 1500 : 3000);
        g.kill();
        driver.join();
        Set<Integer> acked = load[0].acked;
        log("killed Graft with SIGKILL after " + acked.size() + " acknowledged sends; starting it again");
        g.token = null;
        g.start();
        // The restarted node delivers what the dead one left in its outbox; wait until every acknowledged one is there.
        Set<String> atSink = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Pattern subject = Pattern.compile("(?m)^Subject: (bench-crash \\d+)\\r?$");
        Set<Path> seen = new HashSet<>();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dumps)) {
                for (Path p : files.toList()) {
                    if (seen.add(p)) {
                        Matcher m = subject.matcher(Files.readString(p, StandardCharsets.ISO_8859_1));
                        if (m.find()) atSink.add(m.group(1)); else seen.remove(p);
                    }
                }
            }
            if (acked.stream().allMatch(i -> atSink.contains("bench-crash " + i))) break;
            Thread.sleep(200);
        }
        Set<String> sent = g.sentSubjects();
        g.stop();
        dumpSink.destroy();
        int missingSent = 0, missingSink = 0, lost = 0;
        for (int i : acked) {
            String s = "bench-crash " + i;
            boolean a = !sent.contains(s), b = !atSink.contains(s);
            if (a) missingSent++;
            if (b) missingSink++;
            if (a || b) lost++;
        }
        log("crash round: " + acked.size() + " acknowledged, " + missingSent + " missing from Sent Items, " + missingSink
                + " never delivered to the sink; " + atSink.size() + " distinct at the sink");
        return lost;
    }
}
