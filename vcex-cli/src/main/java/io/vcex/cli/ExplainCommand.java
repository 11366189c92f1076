package io.vcex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vcex explain METHOD}: counterfactual explanations of a classifier. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain a classifier's decisions with counterfactuals.",
        subcommands = {DvceCommand.class, GcdCommand.class, CommandLine.HelpCommand.class})
final class ExplainCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
