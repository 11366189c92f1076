package io.vcex.report;

import io.vcex.core.image.ImageData;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The pictures of reports: counterfactual panels (original, counterfactual, difference map, with
 * the probabilities written under the images), strips of frames, and heatmaps over images; all as PNG
 * data URIs so a report is one self-contained file.
 */
public final class Pictures {
    private static final int SCALE = 3;

    private Pictures() {
    }

    /**
     * @param image a picture
     * @return a {@code data:image/png;base64,...} URI
     */
    public static String dataUri(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The signed difference cf - original, summed over channels: red where the counterfactual is
     * brighter, blue where darker, white where unchanged, scaled to the largest change.
     *
     * @param original an image
     * @param counterfactual the same shape
     * @return the difference map as an image
     */
    public static ImageData difference(ImageData original, ImageData counterfactual) {
        int h = original.height();
        int w = original.width();
        float[] d = new float[h * w];
        float max = 1e-6f;
        for (int c = 0; c < original.channels(); c++) {
            for (int i = 0; i < h * w; i++) {
                d[i] += counterfactual.pixels()[c * h * w + i] - original.pixels()[c * h * w + i];
            }
        }
        for (float v : d) {
            max = Math.max(max, Math.abs(v));
        }
        return diverging(d, h, w, max);
    }

    /**
     * @param values signed values, row-major
     * @param h rows
     * @param w columns
     * @param scale the magnitude shown at full colour
     * @return a blue-white-red picture
     */
    public static ImageData diverging(float[] values, int h, int w, float scale) {
        float[] px = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            float t = Math.max(-1f, Math.min(1f, values[i] / scale));
            float r = t > 0 ? 1f : 1f + t;
            float b = t < 0 ? 1f : 1f - t;
            float g = 1f - Math.abs(t);
            px[i] = r;
            px[h * w + i] = g;
            px[2 * h * w + i] = b;
        }
        return new ImageData(3, h, w, px);
    }

    /**
     * A heatmap of non-negative values over a greyed copy of the image (attribution maps).
     *
     * @param image the image
     * @param values one value per pixel, row-major (absolute values are shown)
     * @return the overlay
     */
    public static ImageData heatmap(ImageData image, float[] values) {
        int h = image.height();
        int w = image.width();
        float max = 1e-12f;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        ImageData grey = image.toGrey();
        float[] px = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            float t = Math.abs(values[i]) / max;
            float base = 0.35f + 0.4f * grey.pixels()[i];
            // a warm ramp: grey -> red -> yellow
            float r = base * (1 - t) + t;
            float g = base * (1 - t) + t * Math.max(0f, 2 * t - 1);
            float b = base * (1 - t);
            px[i] = r;
            px[h * w + i] = g;
            px[2 * h * w + i] = b;
        }
        return new ImageData(3, h, w, px);
    }

    /**
     * Images side by side, magnified, each with a caption line under it.
     *
     * @param images frames
     * @param captions one per frame
     * @return the strip
     */
    public static BufferedImage strip(List<ImageData> images, List<String> captions) {
        int cell = 0;
        for (ImageData im : images) {
            cell = Math.max(cell, Math.max(im.width(), im.height()) * SCALE);
        }
        int pad = 4;
        int text = 14;
        BufferedImage out = new BufferedImage(pad + images.size() * (cell + pad), cell + text + 2 * pad,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < images.size(); i++) {
                ImageData im = images.get(i).withChannels(3);
                int x = pad + i * (cell + pad);
                g.drawImage(im.toBufferedImage(), x, pad, im.width() * SCALE, im.height() * SCALE, null);
                g.setColor(Color.DARK_GRAY);
                g.drawString(captions.get(i), x + 2, pad + cell + text - 2);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The standard counterfactual panel: original, counterfactual and difference map, with the
     * target probability of each image written under it.
     *
     * @param original the image
     * @param counterfactual its counterfactual
     * @param before target-class probability of the original
     * @param after target-class probability of the counterfactual
     * @return the panel
     */
    public static BufferedImage panel(ImageData original, ImageData counterfactual, double before, double after) {
        return strip(List.of(original, counterfactual, difference(original, counterfactual)),
                List.of(String.format(Locale.ROOT, "p=%.2f", before), String.format(Locale.ROOT, "p=%.2f", after),
                        "difference"));
    }
}
