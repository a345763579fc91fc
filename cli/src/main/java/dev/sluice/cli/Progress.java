package dev.sluice.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn in place on a terminal; elsewhere (a CI log) only the last state is
 * printed, so logs do not fill with redraws.
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private String last = "";

    Progress(PrintWriter err) {
        this.err = err;
    }

    void show(long done, long total, String counts) {
        long shown = total <= 0 ? WIDTH : Math.min(WIDTH, done * WIDTH / total);
        last = "[" + "#".repeat((int) shown) + "-".repeat(WIDTH - (int) shown) + "] " + done + "/" + total + "  "
                + counts;
        if (terminal) {
            err.print("\r" + last + "\033[K");
            err.flush();
        }
    }

    void end() {
        err.println(terminal ? "" : last);
    }
}
