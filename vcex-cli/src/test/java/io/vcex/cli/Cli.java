package io.vcex.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process for tests, capturing what it prints. */
final class Cli {

    private Cli() {
    }

    /**
     * @param code the exit code
     * @param out what went to standard output
     * @param err what went to standard error
     */
    record Run(int code, String out, String err) {
    }

    /**
     * @param args the command line
     * @return its exit code and output
     */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
