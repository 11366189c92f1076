/** The {@code vcex} command line: one class per command group, options apart from algorithms. */
package io.vcex.cli;
