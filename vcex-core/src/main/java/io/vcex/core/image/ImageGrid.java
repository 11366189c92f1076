package io.vcex.core.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Lays images out in a grid, each tile scaled up by an integer factor (nearest neighbour, so
 * pixels stay visible) with optional caption lines under it.
 *
 * @param columns tiles per row
 * @param scale integer magnification of every tile
 * @param padding pixels between tiles
 * @param captionLines caption lines reserved under every tile (0 for none)
 */
public record ImageGrid(int columns, int scale, int padding, int captionLines) {

    private static final int LINE_HEIGHT = 12;

    /** Validates the layout. */
    public ImageGrid {
        if (columns < 1 || scale < 1 || padding < 0 || captionLines < 0) {
            throw new IllegalArgumentException("grid needs columns >= 1, scale >= 1, padding >= 0, captionLines >= 0");
        }
    }

    /**
     * @param images tiles (their sizes may differ; each cell takes the largest)
     * @param captions one caption per tile (lines split on '\n'), or null
     * @return the grid picture on a white background
     */
    public BufferedImage render(List<ImageData> images, List<String> captions) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("an image grid needs at least one image");
        }
        if (captions != null && captions.size() != images.size()) {
            throw new IllegalArgumentException(captions.size() + " captions for " + images.size() + " images");
        }
        int cellW = 0;
        int cellH = 0;
        for (ImageData img : images) {
            cellW = Math.max(cellW, img.width() * scale);
            cellH = Math.max(cellH, img.height() * scale);
        }
        int textH = captions == null ? 0 : captionLines * LINE_HEIGHT;
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int width = padding + cols * (cellW + padding);
        int height = padding + rows * (cellH + textH + padding);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int i = 0; i < images.size(); i++) {
                int x = padding + (i % cols) * (cellW + padding);
                int y = padding + (i / cols) * (cellH + textH + padding);
                ImageData img = images.get(i);
                g.drawImage(img.toBufferedImage(), x, y, img.width() * scale, img.height() * scale, null);
                if (captions != null) {
                    drawCaption(g, captions.get(i), x, y + cellH, cellW);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private void drawCaption(Graphics2D g, String caption, int x, int y, int maxWidth) {
        g.setColor(Color.DARK_GRAY);
        FontMetrics fm = g.getFontMetrics();
        String[] lines = caption.split("\n");
        for (int l = 0; l < Math.min(lines.length, captionLines); l++) {
            String line = lines[l];
            while (line.length() > 1 && fm.stringWidth(line) > maxWidth) {
                line = line.substring(0, line.length() - 1);
            }
            g.drawString(line, x, y + (l + 1) * LINE_HEIGHT - 2);
        }
    }
}
