package dev.gradproof.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser with an on-the-fly lexer. Grammar, loosest binding first:
 *
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/') unary)*
 * unary      := ('-' | '+') unary | power
 * power      := primary ('^' unary)?          right-associative; -x^2 is -(x^2), 2^-1 is allowed
 * primary    := number | 'x' | 'pi' | 'e' | name '(' arguments ')' | '(' expression ')'
 * </pre>
 */
final class ExpressionParser {

    static final int MAX_DEPTH = 64;
    static final int MAX_LENGTH = 10_000;

    private static final Pattern NUMBER = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Map<String, Fn> FUNCTIONS = new HashMap<>();
    private static final Map<String, Node.Op> BINARY_FUNCTIONS = Map.of("max", Node.Op.MAX, "min", Node.Op.MIN);

    static {
        for (Fn fn : Fn.values()) {
            FUNCTIONS.put(fn.symbol, fn);
        }
    }

    private enum Kind { NUMBER, NAME, OPERATOR, OPEN, CLOSE, COMMA, END }

    private record Token(Kind kind, String text, int column) {
        boolean is(String operator) {
            return kind == Kind.OPERATOR && text.equals(operator);
        }
    }

    private final String src;
    private int pos;
    private Token token;
    /** Open recursive descents; bounded so that hostile input like 10,000 '(' cannot overflow the stack. */
    private int nesting;

    private ExpressionParser(String src) {
        this.src = src;
    }

    static Node parse(String source) throws ExpressionException {
        if (source.length() > MAX_LENGTH) {
            throw new ExpressionException(MAX_LENGTH + 1, "expression is " + source.length()
                    + " characters long; the limit is " + MAX_LENGTH);
        }
        if (source.isBlank()) {
            throw new ExpressionException(1, "empty expression");
        }
        ExpressionParser parser = new ExpressionParser(source);
        parser.advance();
        Node root = parser.expression();
        Token rest = parser.token;
        if (rest.kind == Kind.CLOSE) {
            throw new ExpressionException(rest.column, "unmatched ')'");
        }
        if (rest.kind != Kind.END) {
            throw new ExpressionException(rest.column, "expected an operator or the end of the expression, found '"
                    + rest.text + "'");
        }
        return root;
    }

    // ---- grammar ----

    private Node expression() throws ExpressionException {
        Node left = term();
        while (token.is("+") || token.is("-")) {
            Token op = token;
            advance();
            left = limited(new Node.Binary(op.is("+") ? Node.Op.ADD : Node.Op.SUB, left, term()), op);
        }
        return left;
    }

    private Node term() throws ExpressionException {
        Node left = unary();
        while (token.is("*") || token.is("/")) {
            Token op = token;
            advance();
            left = limited(new Node.Binary(op.is("*") ? Node.Op.MUL : Node.Op.DIV, left, unary()), op);
        }
        return left;
    }

    private Node unary() throws ExpressionException {
        if (!token.is("-") && !token.is("+")) {
            return power();
        }
        Token op = token;
        enter(op);
        advance();
        Node operand = unary();
        nesting--;
        return op.is("-") ? limited(new Node.Neg(operand), op) : operand;
    }

    private Node power() throws ExpressionException {
        Node base = primary();
        if (!token.is("^")) {
            return base;
        }
        Token op = token;
        enter(op);
        advance();
        Node exponent = unary();
        nesting--;
        return limited(Node.Pow.of(base, exponent), op);
    }

    private Node primary() throws ExpressionException {
        Token t = token;
        switch (t.kind) {
            case NUMBER:
                advance();
                return number(t);
            case NAME:
                advance();
                return token.kind == Kind.OPEN ? call(t) : name(t);
            case OPEN:
                enter(t);
                advance();
                Node inner = expression();
                close(t);
                nesting--;
                return inner;
            case END:
                throw new ExpressionException(t.column, "unexpected end of expression");
            default:
                throw new ExpressionException(t.column,
                        "expected a number, x, a constant, a function call or '(', found '" + t.text + "'");
        }
    }

    private Node name(Token t) throws ExpressionException {
        switch (t.text) {
            case "x":
                return new Node.Var();
            case "pi":
                return new Node.Const(Math.PI, "pi", false);
            case "e":
                return new Node.Const(Math.E, "e", false);
            default:
                if (FUNCTIONS.containsKey(t.text) || BINARY_FUNCTIONS.containsKey(t.text)) {
                    throw new ExpressionException(t.column, "function '" + t.text + "' must be called with '('");
                }
                throw new ExpressionException(t.column, "unknown variable '" + t.text + "' (only x is allowed)");
        }
    }

    private Node call(Token name) throws ExpressionException {
        Fn fn = FUNCTIONS.get(name.text);
        Node.Op op = BINARY_FUNCTIONS.get(name.text);
        if (fn == null && op == null) {
            boolean value = name.text.equals("x") || name.text.equals("pi") || name.text.equals("e");
            throw new ExpressionException(name.column,
                    value ? "'" + name.text + "' is not a function" : "unknown function '" + name.text + "'");
        }
        Token open = token;
        enter(open);
        advance();
        List<Node> args = new ArrayList<>();
        if (token.kind != Kind.CLOSE) {
            args.add(expression());
            while (token.kind == Kind.COMMA) {
                advance();
                args.add(expression());
            }
        }
        close(open);
        nesting--;
        int arity = fn != null ? 1 : 2;
        if (args.size() != arity) {
            throw new ExpressionException(name.column, "'" + name.text + "' takes " + arity
                    + (arity == 1 ? " argument" : " arguments") + ", got " + args.size());
        }
        Node node = fn != null ? new Node.Call(fn, args.get(0)) : new Node.Binary(op, args.get(0), args.get(1));
        return limited(node, name);
    }

    private Node number(Token t) throws ExpressionException {
        if (!NUMBER.matcher(t.text).matches()) {
            throw new ExpressionException(t.column, "number '" + t.text + "' is malformed");
        }
        double value = Double.parseDouble(t.text);
        if (Double.isInfinite(value)) {
            throw new ExpressionException(t.column, "number '" + t.text + "' is too large for a double");
        }
        return new Node.Const(value, t.text, isExact(t.text, value));
    }

    /** Whether the decimal literal is exactly a double, so rounding it costs nothing (true for 2, 0.5, 1e3). */
    private static boolean isExact(String text, double value) {
        try {
            return new BigDecimal(text).compareTo(new BigDecimal(value)) == 0;
        } catch (NumberFormatException exponentBeyondIntRange) {
            return false;
        }
    }

    private void close(Token open) throws ExpressionException {
        if (token.kind != Kind.CLOSE) {
            throw new ExpressionException(token.column, "expected ')' to close '(' at column " + open.column);
        }
        advance();
    }

    private void enter(Token at) throws ExpressionException {
        if (++nesting > MAX_DEPTH) {
            throw depthError(at);
        }
    }

    /** Left-associative chains like x+x+...+x deepen the tree without recursing, so check the tree too. */
    private static Node limited(Node node, Token at) throws ExpressionException {
        if (node.depth() > MAX_DEPTH) {
            throw depthError(at);
        }
        return node;
    }

    private static ExpressionException depthError(Token at) {
        return new ExpressionException(at.column, "expression nests deeper than " + MAX_DEPTH + " levels");
    }

    // ---- lexer ----

    private void advance() throws ExpressionException {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
        int start = pos;
        int column = start + 1;
        if (pos == src.length()) {
            token = new Token(Kind.END, "", column);
            return;
        }
        char c = src.charAt(pos);
        if (isDigit(c) || c == '.') {
            token = new Token(Kind.NUMBER, scanNumber(), column);
        } else if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            token = new Token(Kind.NAME, src.substring(start, pos), column);
        } else {
            Kind kind = switch (c) {
                case '(' -> Kind.OPEN;
                case ')' -> Kind.CLOSE;
                case ',' -> Kind.COMMA;
                case '+', '-', '*', '/', '^' -> Kind.OPERATOR;
                default -> throw new ExpressionException(column, "unexpected character " + describe(start));
            };
            pos++;
            token = new Token(kind, String.valueOf(c), column);
        }
    }

    /**
     * Takes the whole run of characters that could belong to a number (letters included, so that "2x" or
     * "1e" are reported as one malformed number rather than as a confusing follow-on error).
     */
    private String scanNumber() {
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            boolean exponentSign = (c == '+' || c == '-') && isExponentMarker(start, pos - 1);
            if (isDigit(c) || c == '.' || Character.isLetter(c) || c == '_' || exponentSign) {
                pos++;
            } else {
                break;
            }
        }
        return src.substring(start, pos);
    }

    /** True if src[i] is an 'e'/'E' directly after a mantissa of digits and dots. */
    private boolean isExponentMarker(int start, int i) {
        if (i <= start || (src.charAt(i) != 'e' && src.charAt(i) != 'E')) {
            return false;
        }
        return src.substring(start, i).chars().allMatch(ch -> isDigit((char) ch) || ch == '.');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describe(int at) {
        int cp = src.codePointAt(at);
        return Character.isISOControl(cp) || Character.isWhitespace(cp) || !Character.isDefined(cp)
                ? String.format("U+%04X", cp)
                : "'" + new String(Character.toChars(cp)) + "'";
    }
}
