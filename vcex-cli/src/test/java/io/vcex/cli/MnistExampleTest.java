package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.FileClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's worked MNIST example, command by command, on tiny models: export digits, train a
 * classifier on them, DVCE with the MNIST diffusion model, eval, GCD with the MNIST diffusion
 * autoencoder; and the errors a user meets on the way.
 */
class MnistExampleTest {
    @TempDir
    static Path dir;
    static Path models;
    static Path digits;
    static Path fours;
    static Path classifier;

    @BeforeAll
    static void tinyModelsAndData() throws Exception {
        models = dir.resolve("models");
        Files.createDirectories(models.resolve("mnist-net"));
        for (String f : new String[] {"card.json", "weights.params"}) {
            Files.copy(VcexHome.resolve("models/mnist-net/" + f), models.resolve("mnist-net").resolve(f));
        }
        for (String m : new String[] {"mnist-diffusion", "mnist-diffae"}) {
            Cli.Run r = Cli.run("zoo", "train", m, "--tiny", "--models", models.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
        }
        digits = dir.resolve("digits");
        Cli.Run e = Cli.run("data", "export", "mnist:test", "--count", "60", "--out", digits.toString(), "--quiet");
        assertEquals(0, e.code(), e.err());
        fours = dir.resolve("fours");
        assertEquals(0, Cli.run("data", "export", "mnist:test", "--where", "label=4", "--count", "3", "--out", fours.toString(),
                "--quiet").code());
        classifier = dir.resolve("fours-and-nines");
        Cli.Run t = Cli.run("train", "classifier", "--data", digits.toString(), "--classes", "4,9", "--steps", "3", "--width", "4",
                "--batch", "8", "--out", classifier.toString(), "--quiet");
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("test accuracy"), t.out());
    }

    @Test
    void exportWritesADataSetThatChecksAndTrainsAndTheClassifierFolderLoads() throws Exception {
        assertEquals(61, Files.readAllLines(digits.resolve("labels.csv")).size(), "a header and 60 rows");
        Cli.Run check = Cli.run("data", "check", fours.toString(), "--quiet");
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("3 images of 1x28x28") && check.out().contains("label: 4=3"), check.out());
        try (VcexContext ctx = VcexContext.builder().build(); FileClassifier c = ModelFolder.load(ctx, classifier, true)) {
            assertEquals(List.of("4", "9"), c.spec().classNames());
            assertEquals("1x28x28", c.spec().input().toString());
            assertEquals("vcex", c.description().format());
        }
        JsonNode training = Json.read(classifier.resolve("training.json"), JsonNode.class);
        assertEquals(3, training.get("run").get("train").get("steps").asInt());
        assertEquals(16, training.get("train_images").asInt() + training.get("test_images").asInt(), "the 4s and 9s of 60 digits");
        assertTrue(training.get("test_accuracy").isNumber());
        Cli.Run mc = Cli.run("model", "check", classifier.toString());
        assertEquals(0, mc.code(), mc.err());
        assertTrue(mc.out().contains("input gradients: available"), mc.out());
        Cli.Run again = Cli.run("train", "classifier", "--data", digits.toString(), "--classes", "9,4", "--steps", "2", "--width", "4",
                "--batch", "8", "--out", classifier.toString(), "--quiet");
        assertEquals(0, again.code(), "an earlier model folder is replaced: " + again.err());
        try (VcexContext ctx = VcexContext.builder().build(); FileClassifier c = ModelFolder.load(ctx, classifier)) {
            assertEquals(List.of("9", "4"), c.spec().classNames(), "the outputs follow --classes");
        }
        assertEquals(0, Cli.run("train", "classifier", "--data", digits.toString(), "--classes", "4,9", "--steps", "3", "--width",
                "4", "--batch", "8", "--out", classifier.toString(), "--quiet").code());
    }

    @Test
    void trainingErrorsNameWhatIsWrong() throws Exception {
        Path out = dir.resolve("never");
        String d = digits.toString();
        String[][] cases = {
            {"No data set at 'emnist'", "--data", "emnist"},
            {"Class '11' of --classes is not a value of label 'label'", "--data", d, "--classes", "4,11"},
            {"Class '4' is given twice", "--data", d, "--classes", "4,4"},
            {"at least two classes", "--data", d, "--classes", "4"},
            {"empty entry", "--data", d, "--classes", "4,,9"},
            {"has no label 'digit'; its labels are label", "--data", d, "--label-key", "digit"},
            {"'--epochs'", "--data", d, "--epochs", "0"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "classifier", "--out", out.toString(), "--quiet"));
            args.addAll(List.of(c).subList(1, c.length));
            Cli.Run r = Cli.run(args.toArray(new String[0]));
            assertEquals(1, r.code(), args + ": " + r.out() + r.err());
            assertTrue(r.err().contains(c[0]) && !r.err().contains("Exception"), c[0] + " in: " + r.err());
        }
        assertFalse(Files.exists(out), "no folder is written by a failed command");
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "mine");
        Cli.Run r = Cli.run("train", "classifier", "--data", digits.toString(), "--steps", "1", "--out", mine.toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not empty and was not written by vcex train classifier"), r.err());
        assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    }

    @Test
    void dvceEvalAndGcdRunOnTheTrainedClassifier() throws Exception {
        Path dvce = dir.resolve("dvce");
        Cli.Run d = Cli.run("explain", "dvce", "--classifier", classifier.toString(), "--diffusion", "mnist-diffusion", "--models",
                models.toString(), "--images", fours.toString(), "--target", "9", "--steps", "10", "--out", dvce.toString(), "--quiet");
        assertEquals(0, d.code(), d.out() + d.err());
        assertTrue(d.out().contains("flip rate"), d.out());
        assertTrue(Files.isRegularFile(dvce.resolve("counterfactuals/00004.png")), "the flat folder eval reads");

        Path eval = dir.resolve("eval");
        Cli.Run e = Cli.run("eval", "--originals", fours.toString(), "--counterfactuals", dvce.resolve("counterfactuals").toString(),
                "--classifier", classifier.toString(), "--target", "9", "--metrics", "flip_rate,target_confidence,l1,fid", "--out",
                eval.toString(), "--quiet");
        assertEquals(0, e.code(), e.out() + e.err());
        JsonNode metrics = Json.read(eval.resolve("metrics.json"), JsonNode.class);
        assertEquals(3, metrics.get("pairs").asInt());
        assertTrue(metrics.get("models").has("mnist-net"), "FID with the digits' feature network: " + metrics.get("models"));
        assertTrue(metrics.get("metrics").has("fid"));

        Files.writeString(dir.resolve("gcd.json"), "{\"proxy\": {\"hidden\": [16], \"minSteps\": 50, \"maxEpochs\": 20},"
                + " \"hDirections\": 2, \"lineSearchSteps\": 4, \"transferSteps\": 4, \"pathPoints\": 6, \"decodeBatch\": 8}");
        Path gcd = dir.resolve("gcd");
        Cli.Run g = Cli.run("explain", "gcd", "discover", "--classifier", classifier.toString(), "--generator", "mnist-diffae",
                "--source", fours.resolve("00004.png").toString(), "--models", models.toString(), "--config",
                dir.resolve("gcd.json").toString(), "--iterations", "1", "--batches", "1", "--batch-size", "12", "--encode-steps", "2",
                "--decode-steps", "2", "--out", gcd.toString(), "--quiet");
        assertEquals(0, g.code(), g.out() + g.err());
        Path applied = dir.resolve("gcd-apply");
        Cli.Run a = Cli.run("explain", "gcd", "apply", "--directions", gcd.toString(), "--images", fours.toString(), "--models",
                models.toString(), "--out", applied.toString(), "--quiet");
        assertEquals(0, a.code(), "apply finds the classifier folder discover used: " + a.out() + a.err());
        assertEquals(3, Json.read(applied.resolve("summary.json"), JsonNode.class).get("images").asInt());
    }

    @Test
    void aDigitClassifierWithTheFacesModelsIsAClearError() {
        Cli.Run d = Cli.run("explain", "dvce", "--classifier", classifier.toString(), "--images", fours.toString(), "--target", "9",
                "--out", dir.resolve("bad").toString(), "--quiet");
        assertEquals(1, d.code(), d.out() + d.err());
        assertTrue(d.err().contains("3x32x32") && d.err().contains("1x28x28") && d.err().contains("mnist-diffusion"), d.err());
        Cli.Run g = Cli.run("explain", "gcd", "discover", "--classifier", classifier.toString(), "--source",
                fours.resolve("00004.png").toString(), "--out", dir.resolve("bad-gcd").toString(), "--quiet");
        assertEquals(1, g.code(), g.out() + g.err());
        assertTrue(g.err().contains("mnist-diffae") && !g.err().contains("Exception"), g.err());
    }
}
