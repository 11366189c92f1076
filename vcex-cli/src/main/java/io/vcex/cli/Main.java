package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.provenance.Versions;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vcex} command line. Option classes live here, apart from the algorithms they call.
 * Errors a user can act on ({@link VcexException}) print as one line without a stack trace;
 * {@code --verbose} adds the trace.
 */
@Command(name = "vcex", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Visual counterfactual explanations for image classifiers.",
        subcommands = {DemoCommand.class, ExplainCommand.class, EditCommand.class, DiagnoseCommand.class, BenchCommand.class, WorldCommand.class, DataCommand.class, ZooCommand.class, EvalCommand.class,
            ModelCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line in-process (tests use this).
     *
     * @param args arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 success, 1 a user error, 2 a usage error, 3 an internal error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof VcexException) {
                line.getErr().println("vcex: error: " + ex.getMessage());
                if (verbose) {
                    ex.printStackTrace(line.getErr());
                }
                return 1;
            }
            line.getErr().println("vcex: internal error: " + ex);
            if (verbose) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(run again with --verbose for the stack trace, and please report it)");
            }
            return 3;
        });
        return cl.execute(args);
    }

    /** @return the configured command tree */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Prints the versions vcex was built with. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vcex " + Versions.vcex(), "Deep Java Library " + Versions.djl() + ", libtorch "
                    + Versions.libtorch(), "Java " + Versions.java()};
        }
    }
}
