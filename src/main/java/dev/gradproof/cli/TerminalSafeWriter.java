package dev.gradproof.cli;

import dev.gradproof.report.Text;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything a command prints passes through here, so no spec name, expression or child output can
 * move the cursor, clear a line or recolour the terminal: control characters are written out visibly
 * ({@link Text#terminal}). Only the progress line, which writes to the terminal directly, uses them.
 */
final class TerminalSafeWriter extends FilterWriter {

    TerminalSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        write(String.valueOf((char) c), 0, 1);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        String safe = Text.terminal(s.substring(off, off + len));
        out.write(safe, 0, safe.length());
    }
}
