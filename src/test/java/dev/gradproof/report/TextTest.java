package dev.gradproof.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void terminalTextShowsControlCharactersInsteadOfObeyingThem() {
        assertEquals("\\r\\e[2Kok    x: pass", Text.terminal("\r\u001B[2Kok    x: pass"));
        assertEquals("bell\\u0007 del\\u007F c1\\u009B rlo\\u202E", Text.terminal("bell\u0007 del\u007F c1\u009B rlo\u202E"));
        assertEquals("two\nlines\tand a tab", Text.terminal("two\nlines\tand a tab"));
        String plain = "tanh-tutorial-bug: W2[3,7] ×N (σ′)";
        assertEquals(plain, Text.terminal(plain));
    }

    @Test
    void markdownKeepsTablesAndMarkupIntact() {
        assertEquals("a \\| b \\*c\\* &lt;script&gt; \\[x\\](y) next line", Text.markdown("a | b *c* <script> [x](y) next\nline"));
        assertEquals("\\\\e\\[31m", Text.markdown("\u001B[31m"));
    }

    @Test
    void aCodeBlockIsFencedBeyondAnyBacktickRunInIt() {
        assertEquals("```\nplain\n```\n", Text.codeBlock("plain"));
        assertEquals("````\na ``` b\n````\n", Text.codeBlock("a ``` b\n"));
    }

    @Test
    void aCodeSpanIsFencedBeyondAnyBacktickRunInIt() {
        assertEquals("`specs/x.yaml`", Text.codeSpan("specs/x.yaml"));
        assertEquals("``a`b``", Text.codeSpan("a`b"));
        assertEquals("`` `x ``", Text.codeSpan("`x"));
    }

    @Test
    void htmlEscapesTheFiveCharactersAndShowsControls() {
        assertEquals("&lt;b onclick=&quot;x&#39;&quot;&gt;&amp;\\r", Text.html("<b onclick=\"x'\">&\r"));
    }
}
