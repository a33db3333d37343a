package graft.odata;

import java.util.List;
import java.util.Objects;

/** A piece of SQL with {@code ?} placeholders and the values to bind to them, in order. */
public record SqlFragment(String sql, List<Object> params) {
    public SqlFragment {
        Objects.requireNonNull(sql, "sql");
        params = List.copyOf(params);
    }
}
