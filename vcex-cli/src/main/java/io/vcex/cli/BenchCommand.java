package io.vcex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vcex bench METHOD}: the committed, re-runnable evaluations of the methods. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Re-runnable evaluations of the methods on the built-in models (the repository's bench/ tables).",
        subcommands = {DvceBench.class, GcdBench.class, CfClipBench.class, ZoomBench.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
