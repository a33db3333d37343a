package graft.store;

/**
 * Wake-up calls between the nodes on one store: work committed on one node (an outbox entry) is announced on a named
 * channel, and every node's listeners of that channel run soon after. A signal carries no data and may be lost (a
 * node that was disconnected is called once it is back, in case it missed one), so listeners still poll now and then.
 */
public interface Signals {
    /** Announces work on {@code channel} to every node of this store, this one at once; never throws. */
    void raise(String channel);

    /**
     * Runs {@code onRaise} whenever the channel is raised, on a thread of the store's: it must be quick.
     * Returns once raises from other nodes are being received (or the store could not be reached: then it keeps trying).
     */
    Subscription listen(String channel, Runnable onRaise);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Channel names are SQL identifiers on PostgreSQL: lower-case letters, digits and underscores. */
    static String checkChannel(String channel) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        return channel;
    }
}
