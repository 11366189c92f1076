package io.vcex.cli;

import io.vcex.core.context.ConsoleProgress;
import io.vcex.core.context.Progress;
import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** @return where progress goes */
    Progress progress() {
        return quiet ? Progress.silent() : ConsoleProgress.stderr();
    }
}
