package io.vcex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vcex edit METHOD}: text-driven image edits through a style generator. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Edit images by text through the style generator (counterfactual manipulation).",
        subcommands = {CfClipCommand.class, CommandLine.HelpCommand.class})
final class EditCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
