package graft.store;

/** What a contract needs from the test class of one engine: the store under test, and a way to restart it. */
interface StoreUnderTest {
    Database db();

    /** Closes the store and opens it again on the same data, as a node restart would; returns the new one. */
    Database reopen();

    /** Several nodes' worth of the same store: a second {@link Database} on the same data, closed by the caller. */
    Database openAnother();
}
