package graft.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Signals within one process: enough for an embedded store, which only one node can open. */
final class LocalSignals implements Signals {
    private static final Logger log = LoggerFactory.getLogger(LocalSignals.class);
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

    @Override
    public void raise(String channel) {
        call(channel);
    }

    /** Runs every listener of the channel on the calling thread. */
    void call(String channel) {
        for (Runnable r : listeners.getOrDefault(channel, List.of())) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("a listener of {} failed", channel, e);
            }
        }
    }

    /** Runs every listener of every channel: after signals may have been missed. */
    void callAll() {
        listeners.keySet().forEach(this::call);
    }

    @Override
    public Subscription listen(String channel, Runnable onRaise) {
        List<Runnable> list = listeners.computeIfAbsent(Signals.checkChannel(channel), k -> new CopyOnWriteArrayList<>());
        list.add(onRaise);
        return () -> list.remove(onRaise);
    }

    Set<String> channels() {
        return listeners.keySet();
    }
}
