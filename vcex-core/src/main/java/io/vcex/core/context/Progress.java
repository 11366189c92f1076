package io.vcex.core.context;

/**
 * Where long work reports how far it is. Algorithms receive one through the
 * {@link VcexContext} and never print themselves; the command line shows a bar, tests stay
 * silent.
 */
public interface Progress {

    /**
     * @param label what is being done, for example "rendering faces"
     * @param total the number of steps, or -1 when unknown
     * @return a task to advance and close
     */
    Task start(String label, long total);

    /** @return a progress sink that shows nothing */
    static Progress silent() {
        return (label, total) -> new Task() {
            @Override
            public void step(long n) {
            }

            @Override
            public void status(String text) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** One unit of long work. */
    interface Task extends AutoCloseable {
        /** @param n steps just finished */
        void step(long n);

        /** Advances by one step. */
        default void step() {
            step(1);
        }

        /** @param text a short status shown beside the bar, for example a loss value */
        void status(String text);

        /** Ends the task (the bar is completed or cleared). */
        @Override
        void close();
    }
}
