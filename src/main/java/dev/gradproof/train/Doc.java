package dev.gradproof.train;

import dev.gradproof.report.Text;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small document rendered twice: as Markdown (images as files beside it) and as one
 * self-contained HTML file (images embedded as base64 data URIs). Inline text may use
 * {@code `code`}, {@code **bold**} and {@code [text](link)}.
 */
final class Doc {
    private sealed interface Block permits Heading, Paragraph, Code, Image, Table, Bullets {
    }

    private record Heading(int level, String text) implements Block {
    }

    private record Paragraph(String text) implements Block {
    }

    private record Code(String text) implements Block {
    }

    record Image(String alt, String file, byte[] png) implements Block {
    }

    private record Table(List<String> header, List<List<String>> rows, String align) implements Block {
    }

    private record Bullets(List<String> items) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    Doc(String title) {
        this.title = title;
        blocks.add(new Heading(1, title));
    }

    Doc h2(String text) {
        blocks.add(new Heading(2, text));
        return this;
    }

    Doc p(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Doc code(String text) {
        blocks.add(new Code(text.stripTrailing()));
        return this;
    }

    /** An image: a file beside the Markdown, embedded in the HTML. */
    Doc image(String alt, String file, byte[] png) {
        blocks.add(new Image(alt, file, png));
        return this;
    }

    /** @param align one character per column: {@code l} or {@code r} */
    Doc table(List<String> header, List<List<String>> rows, String align) {
        blocks.add(new Table(List.copyOf(header), List.copyOf(rows), align));
        return this;
    }

    Doc bullets(List<String> items) {
        if (!items.isEmpty()) {
            blocks.add(new Bullets(List.copyOf(items)));
        }
        return this;
    }

    /** The images, for writing beside the Markdown. */
    List<Image> images() {
        return blocks.stream().filter(b -> b instanceof Image).map(b -> (Image) b).toList();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Paragraph p) {
                sb.append(p.text()).append("\n\n");
            } else if (b instanceof Code c) {
                sb.append("```\n").append(c.text()).append("\n```\n\n");
            } else if (b instanceof Image i) {
                sb.append("![").append(i.alt()).append("](").append(i.file()).append(")\n\n");
            } else if (b instanceof Table t) {
                sb.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                for (int c = 0; c < t.header().size(); c++) {
                    sb.append(align(t, c) == 'r' ? "---:|" : "---|");
                }
                sb.append('\n');
                for (List<String> row : t.rows()) {
                    sb.append("| ").append(String.join(" | ", row.stream().map(x -> x.replace("|", "\\|")).toList()))
                            .append(" |\n");
                }
                sb.append('\n');
            } else if (b instanceof Bullets l) {
                for (String item : l.items()) {
                    sb.append("- ").append(item).append('\n');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** @param linkSuffixes replace {@code .md)} link targets by {@code .html)} so pages link to each other */
    String html(boolean linkSuffixes) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(escape(title.replace("\\*", "*")))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;")
                .append("margin:2em auto;padding:0 1em;line-height:1.5;color:#222}\n")
                .append("pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:13px;line-height:1.35}\n")
                .append("code{background:#f6f8fa;padding:0 .2em}pre code{padding:0}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}")
                .append("th{background:#f0f0f0}td.r{text-align:right}\n")
                .append("img{max-width:100%;border:1px solid #ddd}\n</style>\n</head>\n<body>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("<h").append(h.level()).append('>').append(inline(h.text(), linkSuffixes)).append("</h")
                        .append(h.level()).append(">\n");
            } else if (b instanceof Paragraph p) {
                sb.append("<p>").append(inline(p.text(), linkSuffixes)).append("</p>\n");
            } else if (b instanceof Code c) {
                sb.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
            } else if (b instanceof Image i) {
                sb.append("<p><img alt=\"").append(escape(i.alt())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(i.png())).append("\"></p>\n");
            } else if (b instanceof Table t) {
                sb.append("<table>\n<tr>");
                for (String h : t.header()) {
                    sb.append("<th>").append(inline(h, linkSuffixes)).append("</th>");
                }
                sb.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    sb.append("<tr>");
                    for (int c = 0; c < row.size(); c++) {
                        sb.append(align(t, c) == 'r' ? "<td class=\"r\">" : "<td>").append(inline(row.get(c), linkSuffixes))
                                .append("</td>");
                    }
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof Bullets l) {
                sb.append("<ul>\n");
                for (String item : l.items()) {
                    sb.append("<li>").append(inline(item, linkSuffixes)).append("</li>\n");
                }
                sb.append("</ul>\n");
            }
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    private static char align(Table t, int c) {
        return c < t.align().length() ? t.align().charAt(c) : 'l';
    }

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");

    /** Escapes, then turns `code`, **bold** and [text](link) into HTML (code spans are left alone inside). */
    static String inline(String text, boolean linkSuffixes) {
        StringBuilder out = new StringBuilder();
        Matcher m = CODE.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(rich(text.substring(last, m.start()), linkSuffixes));
            out.append("<code>").append(escape(m.group(1))).append("</code>");
            last = m.end();
        }
        out.append(rich(text.substring(last), linkSuffixes));
        return out.toString();
    }

    private static String rich(String text, boolean linkSuffixes) {
        String s = escape(text);
        s = BOLD.matcher(s).replaceAll("<strong>$1</strong>").replace("\\*", "*");
        Matcher m = LINK.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String target = m.group(2);
            if (linkSuffixes && target.endsWith(".md")) {
                target = target.substring(0, target.length() - 3) + ".html";
            }
            m.appendReplacement(out, Matcher.quoteReplacement("<a href=\"" + target + "\">" + m.group(1) + "</a>"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Text from elsewhere (mutant descriptions) for Markdown: a lone {@code *} outside code spans is escaped. */
    static String plain(String text) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '*' && !code) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static String escape(String s) {
        return Text.html(s);
    }
}
