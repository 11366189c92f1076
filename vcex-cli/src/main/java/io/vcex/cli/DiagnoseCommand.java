package io.vcex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vcex diagnose METHOD}: what a classifier's decisions depend on, over many images. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Diagnose a classifier: which attributes its decisions are sensitive to.",
        subcommands = {ZoomCommand.class, ZoomTrainCommand.class, ZoomRelevanceCommand.class, CommandLine.HelpCommand.class})
final class DiagnoseCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
