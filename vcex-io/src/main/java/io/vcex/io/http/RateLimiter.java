package io.vcex.io.http;

/**
 * Spaces events at least {@code 1 / perSecond} seconds apart, so that no more than {@code
 * ceil(perSecond)} start in any one-second window and {@code n} of them span at least {@code
 * (n - 1) / perSecond} seconds. Thread-safe: callers reserve slots in order under a lock and wait
 * outside it.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private boolean started;
    private long next;

    /** @param perSecond the most events per second, above 0 */
    public RateLimiter(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a positive finite number: " + perSecond);
        }
        this.intervalNanos = Math.round(1e9 / perSecond);
    }

    /**
     * Waits for the next free slot.
     *
     * @throws InterruptedException when interrupted while waiting (the slot is then lost)
     */
    public void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = started && next - now > 0 ? next : now;
            started = true;
            next = slot + intervalNanos;
        }
        for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
