package graft.odata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** The OData system query options of one request, syntactically validated. */
public record QueryOptions(
        Optional<Filter> filter,
        List<OrderBy> orderBy,
        OptionalInt top,
        int skip,
        boolean count,
        Optional<List<String>> select,
        Optional<String> search,
        Optional<String> expand) {

    private static final QueryOptions NONE = new QueryOptions(
            Optional.empty(), List.of(), OptionalInt.empty(), 0, false, Optional.empty(), Optional.empty(), Optional.empty());

    public QueryOptions {
        Objects.requireNonNull(filter, "filter");
        orderBy = List.copyOf(orderBy);
        Objects.requireNonNull(top, "top");
        if (skip < 0) {
            throw new IllegalArgumentException("skip must not be negative");
        }
        select = select.map(List::copyOf);
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(expand, "expand");
    }

    public static QueryOptions none() {
        return NONE;
    }
}
