package dev.gradproof.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionErrorTest {

    private static ExpressionException error(String source) {
        return assertThrows(ExpressionException.class, () -> Expression.parse(source), source);
    }

    @ParameterizedTest(name = "[{0}] -> column {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "tanhh(x)           | 1  | unknown function 'tanhh'",
        "1 + Sin(x)         | 5  | unknown function 'Sin'",
        "2 * y              | 5  | unknown variable 'y' (only x is allowed)",
        "X + 1              | 1  | unknown variable 'X' (only x is allowed)",
        "abs(x              | 6  | expected ')' to close '(' at column 4",
        "(1 + 2             | 7  | expected ')' to close '(' at column 1",
        "(1 2)              | 4  | expected ')' to close '(' at column 1",
        "max(x, 2           | 9  | expected ')' to close '(' at column 4",
        "1 +                | 4  | unexpected end of expression",
        "x^                 | 3  | unexpected end of expression",
        "x # 2              | 3  | unexpected character '#'",
        "x * $              | 5  | unexpected character '$'",
        "max(x)             | 1  | 'max' takes 2 arguments, got 1",
        "1 + min(x, 1, 2)   | 5  | 'min' takes 2 arguments, got 3",
        "sin(x, 1)          | 1  | 'sin' takes 1 argument, got 2",
        "exp()              | 1  | 'exp' takes 1 argument, got 0",
        "1e                 | 1  | number '1e' is malformed",
        "x + 1.2.3          | 5  | number '1.2.3' is malformed",
        "2x                 | 1  | number '2x' is malformed",
        "1e+                | 1  | number '1e+' is malformed",
        ".                  | 1  | number '.' is malformed",
        "1e999              | 1  | number '1e999' is too large for a double",
        "1 + * 2            | 5  | expected a number, x, a constant, a function call or '(', found '*'",
        "()                 | 2  | expected a number, x, a constant, a function call or '(', found ')'",
        "x)                 | 2  | unmatched ')'",
        "x y                | 3  | expected an operator or the end of the expression, found 'y'",
        "1, 2               | 2  | expected an operator or the end of the expression, found ','",
        "sin + 1            | 1  | function 'sin' must be called with '('",
        "x(2)               | 1  | 'x' is not a function",
    })
    void messagesAndColumns(String source, int column, String problem) {
        ExpressionException e = error(source);
        assertEquals("column " + column + ": " + problem, e.getMessage());
        assertEquals(column, e.column());
        assertEquals(problem, e.problem());
    }

    @Test
    void emptyAndBlankExpressions() {
        assertEquals("column 1: empty expression", error("").getMessage());
        assertEquals("column 1: empty expression", error(" \t\n ").getMessage());
    }

    @Test
    void controlCharactersAreNamedByCodePoint() {
        assertEquals("column 2: unexpected character U+0007", error("x\u0007").getMessage());
    }

    @Test
    void tooDeepParentheses() {
        String source = "(".repeat(65) + "x" + ")".repeat(65);
        assertEquals("column 65: expression nests deeper than 64 levels", error(source).getMessage());
    }

    @Test
    void tooDeepUnaryAndPowerChains() {
        assertEquals("column 65: expression nests deeper than 64 levels", error("-".repeat(65) + "x").getMessage());
        assertEquals("column 130: expression nests deeper than 64 levels",
                error("x" + "^x".repeat(65)).getMessage());
    }

    /** A left-associative chain deepens the tree without deepening the parser's recursion. */
    @Test
    void tooDeepOperatorChain() {
        // 65 terms make 64 additions: depth 65. The last '+' is at column 2 * 64.
        assertEquals("column 128: expression nests deeper than 64 levels",
                error("x" + "+x".repeat(64)).getMessage());
    }

    @Test
    void hostileNestingFailsFastWithoutStackOverflow() {
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            assertEquals("column 65: expression nests deeper than 64 levels",
                    error("(".repeat(10_000)).getMessage());
            assertEquals("column 260: expression nests deeper than 64 levels",
                    error("sin(".repeat(2_500)).getMessage());
        });
    }

    /** 100,000 '(' is over the length limit, which is checked before anything else. */
    @Test
    void hostileLengthFailsFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertEquals(
                "column 10001: expression is 100000 characters long; the limit is 10000",
                error("(".repeat(100_000)).getMessage()));
    }

    @Test
    void lengthLimitIsInclusive() throws ExpressionException {
        String atLimit = "x" + " ".repeat(9_999);
        assertEquals(3.0, Expression.parse(atLimit).value(3.0));
        assertEquals("column 10001: expression is 10001 characters long; the limit is 10000",
                error(atLimit + " ").getMessage());
    }
}
