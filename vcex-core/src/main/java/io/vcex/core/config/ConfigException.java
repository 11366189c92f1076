package io.vcex.core.config;

import io.vcex.core.VcexException;

/** A configuration value that breaks its rule; the message names the field, the value and the rule. */
public class ConfigException extends VcexException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field the field's name as the user writes it (JSON key or CLI option)
     * @param value the offending value
     * @param rule what the value must be
     */
    public ConfigException(String field, Object value, String rule) {
        super("Invalid value for '" + field + "': " + value + " (" + rule + ")");
        this.field = field;
    }

    /** @return the field's name */
    public String field() {
        return field;
    }
}
