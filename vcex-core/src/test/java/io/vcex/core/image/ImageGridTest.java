package io.vcex.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @Test
    void tilesArePlacedScaledAndPadded() {
        ImageData white = new ImageData(1, 2, 2, new float[] {1, 1, 1, 1});
        ImageData black = ImageData.zeros(3, 2, 2);
        BufferedImage g = new ImageGrid(2, 3, 1, 0).render(List.of(white, black, black), null);
        // 2 columns of 6 px + 3 paddings; 2 rows
        assertEquals(1 + 2 * 7, g.getWidth());
        assertEquals(1 + 2 * 7, g.getHeight());
        assertEquals(0x000000, g.getRGB(1 + 7 + 2, 3) & 0xffffff, "second tile is black");
        assertEquals(0xffffff, g.getRGB(3, 3) & 0xffffff, "first tile is white");
        assertEquals(0x000000, g.getRGB(1 + 5, 1 + 7 + 5) & 0xffffff, "third tile starts a new row");
    }

    @Test
    void captionCountMustMatch() {
        ImageData img = ImageData.zeros(1, 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> new ImageGrid(2, 1, 0, 1).render(List.of(img, img), List.of("one")));
    }
}
