package io.vcex.data.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageData;
import java.awt.geom.Point2D;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FacesWorldTest {
    private static final WorldConfig PRIOR = WorldConfig.inPrior();

    @Test
    void sameSeedAndIndexGiveTheSamePixelsInAnyOrder() {
        FacesWorld a = new FacesWorld(PRIOR, 3);
        FacesWorld b = new FacesWorld(PRIOR, 3);
        WorldSample late = b.sample(7);
        assertEquals(a.sample(7).image(), late.image());
        assertEquals(a.sample(7).captions(), late.captions());
        assertNotEquals(a.sample(7).image(), a.sample(8).image());
        assertNotEquals(a.sample(7).image(), new FacesWorld(PRIOR, 4).sample(7).image());
        ImageData img = late.image();
        assertEquals(3, img.channels());
        assertEquals(64, img.height());
        assertEquals(64, img.width());
    }

    /** Mean absolute RGB difference of two renders inside a square around a landmark. */
    private static double diffAround(FaceRenderer r, FaceAttributes f, ImageData a, ImageData b,
            FaceRenderer.Landmark l, int radius) {
        Point2D p = r.toPixel(f.nuisance(), l);
        double sum = 0;
        int n = 0;
        for (int y = (int) p.getY() - radius; y <= (int) p.getY() + radius; y++) {
            for (int x = (int) p.getX() - radius; x <= (int) p.getX() + radius; x++) {
                if (x >= 0 && y >= 0 && x < a.width() && y < a.height()) {
                    for (int c = 0; c < 3; c++) {
                        sum += Math.abs(a.get(c, y, x) - b.get(c, y, x));
                    }
                    n += 3;
                }
            }
        }
        return sum / n;
    }

    @Test
    void eachAttributeChangesItsOwnRegionMost() {
        FacesWorld world = new FacesWorld(PRIOR, 11);
        FaceRenderer r = world.renderer();
        Map<String, FaceRenderer.Landmark> own = Map.of("hat", FaceRenderer.Landmark.HAT_CROWN,
                "eyeglasses", FaceRenderer.Landmark.GLASSES_BRIDGE, "smiling", FaceRenderer.Landmark.MOUTH,
                "beard", FaceRenderer.Landmark.CHIN, "mustache", FaceRenderer.Landmark.MUSTACHE);
        for (int i = 0; i < 20; i++) {
            FaceAttributes base = world.attributes(i).with("hat", "false").with("beard", "false")
                    .with("mustache", "false").with("eyeglasses", "false").with("smiling", "false");
            ImageData before = r.render(base);
            for (var e : own.entrySet()) {
                FaceAttributes changed = base.with(e.getKey(), "true");
                ImageData after = r.render(changed);
                double inside = diffAround(r, base, before, after, e.getValue(), 1);
                for (var other : own.entrySet()) {
                    // a beard meets the mustache and surrounds the mouth: those neighbours are not "elsewhere"
                    boolean adjacent = e.getKey().equals("beard") && !other.getKey().equals("hat")
                            && !other.getKey().equals("eyeglasses");
                    if (!other.getKey().equals(e.getKey()) && !adjacent) {
                        double outside = diffAround(r, base, before, after, other.getValue(), 1);
                        assertTrue(inside > 0.05 && inside > 3 * outside, "face " + i + ": " + e.getKey() + " changed "
                                + inside + " at its own landmark and " + outside + " at " + other.getKey());
                    }
                }
            }
        }
    }

    @Test
    void hatAndGlassesCanBeReadFromThePixelsOfSampledFaces() {
        FacesWorld world = new FacesWorld(PRIOR, 5);
        FaceRenderer r = world.renderer();
        int checked = 0;
        for (int i = 0; i < 60; i++) {
            WorldSample s = world.sample(i);
            FaceAttributes f = s.attributes();
            Point2D crown = r.toPixel(f.nuisance(), FaceRenderer.Landmark.HAT_CROWN.x(), 14);
            float[] rgb = rgbAt(s.image(), crown);
            if (f.hat()) {
                java.awt.Color hat = f.hatColor().rgb();
                double dist = Math.abs(rgb[0] * 255 - hat.getRed()) + Math.abs(rgb[1] * 255 - hat.getGreen())
                        + Math.abs(rgb[2] * 255 - hat.getBlue());
                // lighting scales colours by at most 15%
                assertTrue(dist < 0.2 * (hat.getRed() + hat.getGreen() + hat.getBlue()) + 30, "face " + i
                        + " has a " + f.hatColor() + " hat but the crown pixel is " + java.util.Arrays.toString(rgb));
            }
            Point2D bridge = r.toPixel(f.nuisance(), FaceRenderer.Landmark.GLASSES_BRIDGE);
            // the bridge is a one-pixel line: look at the darkest pixel within one pixel of it
            float luma = 1f;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    luma = Math.min(luma, luma(rgbAt(s.image(), new Point2D.Double(bridge.getX() + dx, bridge.getY() + dy))));
                }
            }
            if (f.eyeglasses()) {
                assertTrue(luma < 0.3f, "face " + i + " wears glasses but the bridge's darkest pixel has luma " + luma);
            } else if (f.skinTone() != SkinTone.DARK) {
                assertTrue(luma > 0.4f, "face " + i + " has no glasses but the bridge's darkest pixel has luma " + luma);
            }
            checked++;
        }
        assertEquals(60, checked);
    }

    private static float[] rgbAt(ImageData img, Point2D p) {
        int x = (int) Math.floor(p.getX());
        int y = (int) Math.floor(p.getY());
        return new float[] {img.get(0, y, x), img.get(1, y, x), img.get(2, y, x)};
    }

    private static float luma(float[] rgb) {
        return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
    }

    @Test
    void inPriorWorldNeverShowsCounterfactualValuesAndTheFullWorldDoes() {
        FacesWorld prior = new FacesWorld(PRIOR, 1);
        FacesWorld full = new FacesWorld(WorldConfig.full(), 1);
        int cfHair = 0;
        int young = 0;
        for (int i = 0; i < 2000; i++) {
            FaceAttributes p = prior.attributes(i);
            assertTrue(p.inPrior(), "in-prior face " + i + " has " + p.labels());
            assertEquals(p.old(), p.hairColor() == HairColor.GREY);
            FaceAttributes f = full.attributes(i);
            if (!f.old()) {
                young++;
                cfHair += f.hairColor().inPrior() ? 0 : 1;
            }
        }
        double rate = (double) cfHair / young;
        assertEquals(0.35, rate, 0.05, "counterfactual hair share among young faces");
    }

    @Test
    void probabilitiesAndPlantedCouplingsShowInTheFrequencies() {
        FacesWorld biased = new FacesWorld(WorldConfig.smileBiased(), 2);
        int smiling = 0;
        int smilingWithGlasses = 0;
        int notSmilingWithGlasses = 0;
        int hats = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            FaceAttributes f = biased.attributes(i);
            hats += f.hat() ? 1 : 0;
            if (f.smiling()) {
                smiling++;
                smilingWithGlasses += f.eyeglasses() ? 1 : 0;
            } else {
                notSmilingWithGlasses += f.eyeglasses() ? 1 : 0;
            }
        }
        assertEquals(0.95, (double) smilingWithGlasses / smiling, 0.02);
        assertEquals(0.05, (double) notSmilingWithGlasses / (n - smiling), 0.02);
        assertEquals(0.5, (double) smiling / n, 0.04);
        assertEquals(0.25, (double) hats / n, 0.03);
    }

    @Test
    void splitsFollowTheConfiguredFractions() {
        FacesWorld w = new FacesWorld(PRIOR, 1);
        int train = 0;
        int val = 0;
        for (int i = 0; i < 5000; i++) {
            String s = w.split(i);
            train += s.equals("train") ? 1 : 0;
            val += s.equals("val") ? 1 : 0;
        }
        assertEquals(0.8, train / 5000.0, 0.025);
        assertEquals(0.1, val / 5000.0, 0.02);
    }
}
