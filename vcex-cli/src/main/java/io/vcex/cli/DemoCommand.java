package io.vcex.cli;

import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcex demo}: the main job. Until the model zoo and the methods land it shows the built-in
 * faces world, the ground truth every later diagnosis is checked against.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "The main job on the built-in default: a labelled tour of the faces world (takes seconds).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "World seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.out().println("vcex demo: rendering the faces world (a few seconds)");
        Path inPrior = out.resolve("faces-in-prior.png");
        Path full = out.resolve("faces-full-world.png");
        Path biased = out.resolve("faces-smile-biased.png");
        try (var task = common.progress().start("demo", 3)) {
            WorldCommand.writeGrid(new FacesWorld(WorldConfig.inPrior(), seed), 24, inPrior);
            task.step();
            WorldCommand.writeGrid(new FacesWorld(WorldConfig.full(), seed), 24, full);
            task.step();
            WorldCommand.writeGrid(new FacesWorld(WorldConfig.smileBiased(), seed), 24, biased);
            task.step();
        }
        common.out().println("in-prior world (what generators learn):  " + inPrior);
        common.out().println("full world (with counterfactual colours): " + full);
        common.out().println("smile-biased world (smiles wear glasses):  " + biased);
        return 0;
    }
}
