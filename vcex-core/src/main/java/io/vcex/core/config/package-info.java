/**
 * Configs as validated records: rule checks that name the field, and stable JSON in and out.
 */
package io.vcex.core.config;
