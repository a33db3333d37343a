package graft;

import graft.config.ConfigException;
import graft.config.ConfigLoader;
import graft.config.DemoConfig;
import graft.config.GraftConfig;
import graft.config.HttpConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code graft serve} and friends. */
@Command(name = "graft", mixinStandardHelpOptions = true, version = "graft 0.1.0",
        description = "A self-hosted server that speaks the Microsoft Graph v1.0 mail API and delivers the mail.",
        subcommands = {Main.Serve.class, AdminCommands.Trace.class, AdminCommands.Queue.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run Graft. Without --config: embedded SQLite in ./data and a demo tenant contoso.test.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file")
        Path config;

        @Option(names = "--port", description = "HTTP port (overrides the configuration; 0 = any free port)")
        Integer port;

        @Option(names = "--https-port", description = "HTTPS port (overrides the configuration; 0 = any free port)")
        Integer httpsPort;

        @Option(names = "--data-dir", description = "data directory (overrides the configuration)")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            GraftConfig cfg;
            try {
                cfg = config == null ? DemoConfig.create(Path.of("data")) : ConfigLoader.load(config);
            } catch (ConfigException e) {
                System.err.println("graft: invalid configuration: " + e.getMessage());
                return 2;
            }
            HttpConfig http = cfg.http();
            cfg = cfg.withHttp(new HttpConfig(http.host(), port != null ? port : http.port(),
                    httpsPort != null ? Optional.of(httpsPort) : http.httpsPort(), http.tls()));
            if (dataDir != null) {
                cfg = cfg.withDataDir(dataDir);
            }
            App app;
            try {
                app = App.start(cfg);
            } catch (Exception e) {
                System.err.println("graft: cannot start: " + causes(e));
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        app.close();
                    } catch (Exception e) {
                        System.err.println("graft: error while stopping: " + e);
                    } finally {
                        stopped.countDown();
                    }
                }));
            } catch (IllegalStateException shuttingDown) {
                app.close(); // asked to stop while it was starting
                return 0;
            }
            System.out.println(Banner.text(app, config == null, (System.nanoTime() - started) / 1_000_000));
            System.out.flush();
            stopped.await();
            return 0;
        }

        /** "address in use: 0.0.0.0:8080" rather than a stack trace: what failed, down to the root cause. */
        private static String causes(Throwable e) {
            StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c.getMessage() != null && !out.toString().contains(c.getMessage())) {
                    out.append(": ").append(c.getMessage());
                }
            }
            return out.toString();
        }
    }
}
