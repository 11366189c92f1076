package io.vcex.zoo;

import io.vcex.core.context.Progress;

/** Test helper: a progress sink that "interrupts" training (as Ctrl-C would) after some steps. */
final class Interrupt {

    private Interrupt() {
    }

    /**
     * @param steps training steps allowed before the interruption
     * @return a progress sink that throws once a training task has gone past that many steps
     */
    static Progress after(int steps) {
        return (label, total) -> new Progress.Task() {
            private long done;

            @Override
            public void step(long n) {
                done += n;
                if (label.startsWith("training") && done > steps) {
                    throw new IllegalStateException("interrupted");
                }
            }

            @Override
            public void status(String text) {
            }

            @Override
            public void close() {
            }
        };
    }
}
