package graft.store;

/** Everything Graft keeps in a store, as one suite that every engine's test class runs. */
interface StoreContract extends MessagesContract, SendingContract, TransactionsContract, SigningKeysContract, SignalsContract,
        graft.delivery.OutboxContract {
}
