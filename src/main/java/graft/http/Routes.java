package graft.http;

/** A family of endpoints. Returns false when the path is not one of its own, so the next family may try. */
@FunctionalInterface
public interface Routes {
    boolean handle(Exchange exchange) throws Exception;
}
