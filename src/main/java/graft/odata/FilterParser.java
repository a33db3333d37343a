package graft.odata;

import graft.odata.Filter.And;
import graft.odata.Filter.Comparison;
import graft.odata.Filter.Function;
import graft.odata.Filter.Not;
import graft.odata.Filter.Op;
import graft.odata.Filter.Or;
import graft.odata.FilterLexer.Kind;
import graft.odata.FilterLexer.Token;
import graft.odata.Literal.BoolLit;
import graft.odata.Literal.DateTimeLit;
import graft.odata.Literal.NullLit;
import graft.odata.Literal.NumberLit;
import graft.odata.Literal.StringLit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for OData v4 {@code $filter} as Graph mail uses it.
 * Precedence, tightest first: parentheses, {@code not}, comparison, {@code and}, {@code or}.
 */
public final class FilterParser {
    /** Bounds recursion so hostile input cannot overflow the stack here or in later tree walks. */
    static final int MAX_DEPTH = 100;
    static final int MAX_NODES = 1000;

    private static final Set<String> FUNCTIONS = Set.of("startswith", "endswith", "contains");
    private static final Set<String> LAMBDAS = Set.of("any", "all");

    private final List<Token> tokens;
    private int index;
    private int depth;
    private int nodes;

    private FilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Filter parse(String text) {
        if (text == null || text.isBlank()) {
            throw ODataQueryException.invalidFilter("The filter expression is empty.");
        }
        FilterParser parser = new FilterParser(FilterLexer.tokenize(text));
        Filter filter = parser.parseOr();
        parser.expect(Kind.END, "'and', 'or' or the end of the expression");
        return filter;
    }

    /** An operand before it is known whether it stands alone or takes part in a comparison. */
    private sealed interface Operand {
        Token token();
    }

    private record PropertyOperand(String path, Token token) implements Operand {
    }

    private record LiteralOperand(Literal literal, Token token) implements Operand {
    }

    private record BooleanOperand(Filter filter, Token token) implements Operand {
    }

    private Filter parseOr() {
        Filter left = parseAnd();
        while (peekKeyword("or")) {
            index++;
            left = new Or(left, parseAnd());
            countNode();
        }
        return left;
    }

    private Filter parseAnd() {
        Filter left = parseNot();
        while (peekKeyword("and")) {
            index++;
            left = new And(left, parseNot());
            countNode();
        }
        return left;
    }

    private Filter parseNot() {
        if (peekKeyword("not")) {
            index++;
            enter();
            Filter inner = parseNot();
            depth--;
            countNode();
            return new Not(inner);
        }
        return parseComparison();
    }

    private Filter parseComparison() {
        Operand left = parseOperand();
        Token opToken = peek();
        Op op = opToken.kind() == Kind.IDENT ? Op.fromKeyword(opToken.text()) : null;
        if (op == null) {
            return standalone(left);
        }
        index++;
        Operand right = parseOperand();
        countNode();
        return combine(left, op, opToken, right);
    }

    private Filter standalone(Operand operand) {
        return switch (operand) {
            case BooleanOperand b -> b.filter();
            case PropertyOperand p -> {
                countNode();
                yield new Comparison(p.path(), Op.EQ, new BoolLit(true));
            }
            case LiteralOperand l -> throw syntax(peek(), "a comparison operator such as 'eq'");
        };
    }

    private Filter combine(Operand left, Op op, Token opToken, Operand right) {
        if (left instanceof PropertyOperand p && right instanceof LiteralOperand l) {
            return new Comparison(p.path(), op, l.literal());
        }
        if (left instanceof LiteralOperand l && right instanceof PropertyOperand p) {
            return new Comparison(p.path(), op.mirror(), l.literal());
        }
        if (left instanceof BooleanOperand b && right instanceof LiteralOperand l) {
            return compareBoolean(b.filter(), op, l, opToken);
        }
        if (left instanceof LiteralOperand l && right instanceof BooleanOperand b) {
            return compareBoolean(b.filter(), op.mirror(), l, opToken);
        }
        if (left instanceof PropertyOperand && right instanceof PropertyOperand) {
            throw ODataQueryException.invalidFilter("Comparing two properties is not supported (operator '"
                    + opToken.text() + "' at position " + opToken.position() + ").");
        }
        if (left instanceof LiteralOperand && right instanceof LiteralOperand) {
            throw ODataQueryException.invalidFilter("Comparing two constants is not supported (operator '"
                    + opToken.text() + "' at position " + opToken.position() + ").");
        }
        throw ODataQueryException.invalidFilter("Operator '" + opToken.text() + "' at position "
                + opToken.position() + " cannot compare a boolean expression with a property.");
    }

    /** {@code startswith(subject,'a') eq true} means the call itself; {@code eq false} its negation. */
    private Filter compareBoolean(Filter filter, Op op, LiteralOperand literal, Token opToken) {
        if (literal.literal() instanceof BoolLit(boolean value) && (op == Op.EQ || op == Op.NE)) {
            return (value == (op == Op.EQ)) ? filter : new Not(filter);
        }
        throw ODataQueryException.invalidFilter("A boolean expression can only be compared with true or false"
                + " using 'eq' or 'ne' (operator '" + opToken.text() + "' at position " + opToken.position() + ").");
    }

    private Operand parseOperand() {
        Token t = peek();
        switch (t.kind()) {
            case LPAREN -> {
                index++;
                enter();
                Filter inner = parseOr();
                expect(Kind.RPAREN, "')'");
                depth--;
                return new BooleanOperand(inner, t);
            }
            case STRING -> {
                index++;
                return new LiteralOperand(new StringLit((String) t.value()), t);
            }
            case NUMBER -> {
                index++;
                return new LiteralOperand(new NumberLit((BigDecimal) t.value()), t);
            }
            case DATETIME -> {
                index++;
                return new LiteralOperand(new DateTimeLit((Instant) t.value()), t);
            }
            case IDENT -> {
                return identifierOperand(t);
            }
            default -> throw syntax(t, "a property, a literal, a function call or '('");
        }
    }

    private Operand identifierOperand(Token t) {
        index++;
        Kind following = peek().kind();
        if (following == Kind.LPAREN) {
            return new BooleanOperand(parseFunction(t), t);
        }
        if (following != Kind.SLASH) {
            switch (t.text().toLowerCase(Locale.ROOT)) {
                case "true" -> {
                    return new LiteralOperand(new BoolLit(true), t);
                }
                case "false" -> {
                    return new LiteralOperand(new BoolLit(false), t);
                }
                case "null" -> {
                    return new LiteralOperand(new NullLit(), t);
                }
                default -> {
                }
            }
        }
        return new PropertyOperand(finishPath(t), t);
    }

    private String finishPath(Token first) {
        StringBuilder path = new StringBuilder(first.text());
        while (peek().kind() == Kind.SLASH) {
            index++;
            Token segment = expect(Kind.IDENT, "a property name after '/'");
            if (peek().kind() == Kind.LPAREN && LAMBDAS.contains(segment.text().toLowerCase(Locale.ROOT))) {
                throw ODataQueryException.invalidFilter("The lambda operator '" + segment.text()
                        + "' at position " + segment.position() + " is not supported.");
            }
            path.append('/').append(segment.text());
        }
        return path.toString();
    }

    private Function parseFunction(Token name) {
        String lower = name.text().toLowerCase(Locale.ROOT);
        if (!FUNCTIONS.contains(lower)) {
            throw ODataQueryException.invalidFilter("Unknown function '" + name.text() + "' at position "
                    + name.position() + "; supported functions are startswith, endswith and contains.");
        }
        index++;
        Token property = expect(Kind.IDENT, "a property name as the first argument of " + lower);
        String path = finishPath(property);
        expect(Kind.COMMA, "','");
        Operand argument = parseOperand();
        if (!(argument instanceof LiteralOperand literal)) {
            throw ODataQueryException.invalidFilter("The second argument of " + lower + " at position "
                    + argument.token().position() + " must be a literal.");
        }
        expect(Kind.RPAREN, "')'");
        countNode();
        return new Function(lower, path, literal.literal());
    }

    private Token peek() {
        return tokens.get(index);
    }

    private boolean peekKeyword(String keyword) {
        Token t = peek();
        return t.kind() == Kind.IDENT && t.text().equalsIgnoreCase(keyword);
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw syntax(t, what);
        }
        index++;
        return t;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw ODataQueryException.invalidFilter("The expression is nested more than " + MAX_DEPTH + " levels deep.");
        }
    }

    private void countNode() {
        if (++nodes > MAX_NODES) {
            throw ODataQueryException.invalidFilter("The expression has more than " + MAX_NODES + " terms.");
        }
    }

    private static ODataQueryException syntax(Token found, String expected) {
        return ODataQueryException.invalidFilter("Syntax error at position " + found.position() + ": expected "
                + expected + " but found " + found.describe() + ".");
    }
}
