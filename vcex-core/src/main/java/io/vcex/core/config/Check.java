package io.vcex.core.config;

/**
 * Checks used in the compact constructors of config records. Each failure is a
 * {@link ConfigException} naming the field, so a wrong value in a JSON file or on the command
 * line is reported in the user's terms.
 */
public final class Check {

    private Check() {
    }

    /**
     * @param field name
     * @param value value
     * @return value, when it is greater than zero
     */
    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new ConfigException(field, value, "must be a positive whole number");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @return value, when it is greater than zero
     */
    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ConfigException(field, value, "must be a positive finite number");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @return value, when it is zero or more
     */
    public static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ConfigException(field, value, "must be a finite number >= 0");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @return value, when it lies in [0, 1]
     */
    public static double probability(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ConfigException(field, value, "must be a probability in [0, 1]");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @param low inclusive
     * @param high inclusive
     * @return value, when it lies in [low, high]
     */
    public static double range(String field, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new ConfigException(field, value, "must lie in [" + low + ", " + high + "]");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @param low inclusive
     * @param high inclusive
     * @return value, when it lies in [low, high]
     */
    public static int range(String field, int value, int low, int high) {
        if (value < low || value > high) {
            throw new ConfigException(field, value, "must be a whole number in [" + low + ", " + high + "]");
        }
        return value;
    }

    /**
     * @param field name
     * @param value value
     * @param <T> type
     * @return value, when not null
     */
    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new ConfigException(field, null, "is required");
        }
        return value;
    }
}
