package graft.odata;

import java.util.Objects;

/** One {@code $orderby} item: a property path such as {@code from/emailAddress/address} and its direction. */
public record OrderBy(String property, boolean descending) {
    public OrderBy {
        Objects.requireNonNull(property, "property");
    }
}
