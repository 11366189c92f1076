package io.vcex.cli;

import io.vcex.core.context.ConsoleProgress;
import io.vcex.core.context.Progress;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command shares. */
final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** @return the command's standard output (the test harness can capture it) */
    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    /** @return where progress goes */
    Progress progress() {
        return quiet ? Progress.silent() : ConsoleProgress.stderr();
    }
}
