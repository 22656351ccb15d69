package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Text from outside (spec names, expressions, a child's stderr) made safe for where it is shown: a
 * terminal, Markdown or HTML. A spec name with {@code \r\e[2K} must not redraw a FAIL line as "ok", and
 * one with {@code |} or {@code <script>} must not break a table or inject markup.
 */
@API(status = INTERNAL, since = "0.2")
public final class Text {
    private Text() {
    }

    /**
     * Every control character but newline and tab written out visibly ({@code \r}, {@code \e},
     * {@code \u0007}), and the bidirectional overrides that reorder what a terminal shows.
     */
    public static String terminal(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = escape(c);
            if (esc != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(esc != null ? esc : String.valueOf(c));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** The visible form of a character a terminal would act on; null for one it just shows. */
    static String escape(char c) {
        if (c == '\n' || c == '\t') {
            return null;
        }
        if (c == '\r') {
            return "\\r";
        }
        if (c == 0x1B) {
            return "\\e";
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)) {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }

    /** One line of Markdown text: control characters and newlines made visible, Markdown's syntax escaped. */
    public static String markdown(String s) {
        String line = terminal(s).replace("\n", " ").replace("\t", " ");
        StringBuilder sb = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '#', '|', '!', '~' -> sb.append('\\').append(c);
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A fenced Markdown code block holding {@code content} verbatim, its fence longer than any backtick run in it. */
    public static String codeBlock(String content) {
        String body = terminal(content);
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + "\n" + body + (body.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    /** An inline Markdown code span, its backtick fence longer than any run in the text (newlines made spaces). */
    public static String codeSpan(String content) {
        String body = terminal(content).replace("\n", " ");
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
        return fence + pad + body + pad + fence;
    }

    /** HTML text: the five characters that matter escaped, control characters made visible. */
    public static String html(String s) {
        String t = terminal(s);
        StringBuilder sb = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
