package io.vcex.core.context;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A text progress bar on a stream (standard error by default). On a terminal it redraws one
 * line; elsewhere (CI logs, pipes) it prints a line at every tenth of the work so logs stay short.
 */
public final class ConsoleProgress implements Progress {
    private static final int BAR = 28;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;

    /**
     * @param out where to print
     * @param interactive true to redraw one line with carriage returns
     * @param clock milliseconds, injectable for tests
     */
    public ConsoleProgress(PrintStream out, boolean interactive, LongSupplier clock) {
        this.out = out;
        this.interactive = interactive;
        this.clock = clock;
    }

    /** @return a bar on standard error that redraws when a console is attached */
    public static ConsoleProgress stderr() {
        return new ConsoleProgress(System.err, System.console() != null, System::currentTimeMillis);
    }

    @Override
    public Task start(String label, long total) {
        return new BarTask(label, total);
    }

    private final class BarTask implements Task {
        private final String label;
        private final long total;
        private final long startedAt;
        private long done;
        private String status = "";
        private int lastDecile = -1;
        private long lastDraw;
        private boolean closed;

        BarTask(String label, long total) {
            this.label = label;
            this.total = total;
            this.startedAt = clock.getAsLong();
            draw(true);
        }

        @Override
        public synchronized void step(long n) {
            done += n;
            draw(false);
        }

        @Override
        public synchronized void status(String text) {
            status = text == null ? "" : text;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (total > 0) {
                done = Math.max(done, total);
            }
            draw(true);
            if (interactive) {
                out.println();
            }
            out.flush();
        }

        private void draw(boolean force) {
            long now = clock.getAsLong();
            if (interactive) {
                if (!force && now - lastDraw < 100) {
                    return;
                }
                lastDraw = now;
                out.print("\r" + line(now));
                out.flush();
            } else {
                int decile = total > 0 ? (int) Math.min(10, done * 10 / total) : -1;
                if (force && total <= 0 || decile != lastDecile) {
                    lastDecile = decile;
                    out.println(line(now));
                }
            }
        }

        String line(long now) {
            double secs = (now - startedAt) / 1000.0;
            if (total <= 0) {
                return String.format(Locale.ROOT, "%s: %d done, %.1fs %s", label, done, secs, status);
            }
            double frac = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(frac * BAR);
            String eta = done > 0 && done < total
                    ? String.format(Locale.ROOT, " eta %.0fs", secs / done * (total - done)) : "";
            return String.format(Locale.ROOT, "%s [%s%s] %d/%d %3.0f%% %.1fs%s %s", label,
                    "#".repeat(filled), ".".repeat(BAR - filled), done, total, frac * 100, secs, eta, status).stripTrailing();
        }
    }
}
