package io.vcex.data.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.context.Progress;
import io.vcex.data.dataset.Dataset;
import io.vcex.data.dataset.FolderDataset;
import io.vcex.data.dataset.LabeledImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldDatasetTest {
    @TempDir
    Path dir;

    @Test
    void onTheFlyAndExportedFolderGiveTheSameFacesAndLabels() {
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), 4);
        WorldDataset live = new WorldDataset(world, 6);
        WorldExport.export(new WorldDatasetConfig(4L, 6, WorldConfig.inPrior()), dir.resolve("set"), Progress.silent());
        FolderDataset folder = FolderDataset.open(dir.resolve("set"), live.imageSpec());
        assertEquals(live.size(), folder.size());
        for (int i = 0; i < 6; i++) {
            LabeledImage a = live.get(i);
            LabeledImage b = folder.get(i);
            for (String key : live.labelNames()) {
                assertEquals(a.labels().get(key), b.labels().get(key), "label " + key + " of face " + i);
            }
            assertEquals(a.captions(), b.captions());
            float[] pa = a.image().pixels();
            float[] pb = b.image().pixels();
            for (int k = 0; k < pa.length; k++) {
                assertEquals(pa[k], pb[k], 0.5f / 255 + 1e-6f);
            }
        }
    }

    @Test
    void filteringUsesTheGroundTruthWithoutRendering() {
        WorldDataset live = new WorldDataset(new FacesWorld(WorldConfig.smileBiased(), 1), 400);
        Dataset smiling = live.where("smiling", "true");
        int glasses = 0;
        for (int i = 0; i < smiling.size(); i++) {
            glasses += smiling.labels(i).get("eyeglasses").equals("true") ? 1 : 0;
        }
        assertTrue(glasses > 0.9 * smiling.size(), glasses + " of " + smiling.size());
        assertTrue(live.where("split", "test").size() > 20);
        var e = assertThrows(VcexException.class, () -> live.get(400));
        assertTrue(e.getMessage().contains("0..399"), e.getMessage());
    }
}
