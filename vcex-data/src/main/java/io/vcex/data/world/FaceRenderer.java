package io.vcex.data.world;

import io.vcex.core.image.ImageData;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws a cartoon face from its {@link FaceAttributes} with Java2D, antialiased, at
 * {@code supersample} times the output size, then box-averages it down. A pure function: the
 * same attributes always give the same pixels.
 *
 * <p>Faces are drawn in a 64 x 64 <em>design space</em> (face centre at (32, 35)); the nuisance
 * pose (shift, scale, rotation about the face centre) maps it to the image, and
 * {@link #toPixel(Nuisance, double, double)} gives where a design point lands, so tests and
 * reports can find the hat, the eyes or the mouth of any face.
 */
public final class FaceRenderer {
    /** Face centre in design space. */
    public static final double CX = 32;
    /** Face centre in design space. */
    public static final double CY = 35;

    /** Design-space landmarks, for checks and reports. */
    public enum Landmark {
        /** top of the hat's crown */
        HAT_CROWN(32, 11),
        /** centre of the left eye (image left) */
        LEFT_EYE(25, 32),
        /** centre of the right eye */
        RIGHT_EYE(39, 32),
        /** the middle of the glasses' bridge, between the eyes */
        GLASSES_BRIDGE(32, 31.2),
        /** outer edge of the left lens rim */
        LEFT_RIM(20.3, 32),
        /** middle of the forehead */
        FOREHEAD(32, 22),
        /** above the upper lip */
        MUSTACHE(32, 42.6),
        /** inside an open smile */
        MOUTH(32, 47.2),
        /** the chin */
        CHIN(32, 53),
        /** a cheek, left of the nose */
        CHEEK(23, 40),
        /** an image corner, always background */
        CORNER(1.5, 1.5);

        private final double x;
        private final double y;

        Landmark(double x, double y) {
            this.x = x;
            this.y = y;
        }

        /** @return design-space x */
        public double x() {
            return x;
        }

        /** @return design-space y */
        public double y() {
            return y;
        }
    }

    private static final Color SHIRT = new Color(70, 80, 105);
    private static final Color EYE_WHITE = new Color(250, 250, 250);
    private static final Color PUPIL = new Color(40, 30, 30);
    private static final Color FRAME = new Color(20, 20, 20);
    private static final Color MOUTH_INSIDE = new Color(110, 25, 35);
    private static final Color TEETH = new Color(250, 248, 240);

    private final int size;
    private final int supersample;

    /**
     * @param size output width and height
     * @param supersample drawing magnification before box-averaging down
     */
    public FaceRenderer(int size, int supersample) {
        this.size = size;
        this.supersample = supersample;
    }

    /** @param config takes size and supersample from the world config */
    public FaceRenderer(WorldConfig config) {
        this(config.size(), config.supersample());
    }

    /** @return output size in pixels */
    public int size() {
        return size;
    }

    /**
     * @param face the ground truth
     * @return the RGB image in [0, 1]
     */
    public ImageData render(FaceAttributes face) {
        int big = size * supersample;
        BufferedImage canvas = new BufferedImage(big, big, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(face.background().rgb());
            g.fillRect(0, 0, big, big);
            g.transform(designToImage(face.nuisance(), supersample * (double) size / 64.0));
            drawFace(g, face);
        } finally {
            g.dispose();
        }
        ImageData img = ImageData.fromBufferedImage(canvas, 3).resize(size, size);
        return light(img, face.nuisance());
    }

    /**
     * @param n the pose
     * @param x design-space x
     * @param y design-space y
     * @return where that point lands in the output image, in pixels (x right, y down)
     */
    public Point2D toPixel(Nuisance n, double x, double y) {
        return designToImage(n, size / 64.0).transform(new Point2D.Double(x, y), null);
    }

    /**
     * @param n the pose
     * @param landmark a landmark
     * @return its pixel position
     */
    public Point2D toPixel(Nuisance n, Landmark landmark) {
        return toPixel(n, landmark.x(), landmark.y());
    }

    private static AffineTransform designToImage(Nuisance n, double pixelsPerDesignUnit) {
        AffineTransform t = new AffineTransform();
        t.scale(pixelsPerDesignUnit, pixelsPerDesignUnit);
        t.translate(CX + n.shiftX(), CY + n.shiftY());
        t.rotate(Math.toRadians(n.rotationDeg()));
        t.scale(n.scale(), n.scale());
        t.translate(-CX, -CY);
        return t;
    }

    /** Multiplies by a linear light gradient: factor light on the lit side, 2 - light opposite. */
    private ImageData light(ImageData img, Nuisance n) {
        double amp = n.light() - 1;
        if (amp == 0) {
            return img;
        }
        double cos = Math.cos(Math.toRadians(n.lightAngleDeg()));
        double sin = Math.sin(Math.toRadians(n.lightAngleDeg()));
        float[] px = img.pixels().clone();
        int h = img.height();
        int w = img.width();
        double half = w / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = ((x + 0.5 - half) * cos + (y + 0.5 - half) * sin) / half;
                float f = (float) (1 + amp * Math.max(-1, Math.min(1, d)));
                for (int c = 0; c < 3; c++) {
                    int i = (c * h + y) * w + x;
                    px[i] = Math.min(1f, Math.max(0f, px[i] * f));
                }
            }
        }
        return new ImageData(3, h, w, px);
    }

    private static Color shade(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static void stroke(Graphics2D g, Color c, double width, Shape s) {
        g.setColor(c);
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(s);
    }

    private static void fill(Graphics2D g, Color c, Shape s) {
        g.setColor(c);
        g.fill(s);
    }

    private void drawFace(Graphics2D g, FaceAttributes f) {
        Nuisance n = f.nuisance();
        Color skin = f.skinTone().rgb();
        Color hair = f.hairColor().rgb();
        double fw = 34 * n.faceWidth();
        // shoulders and neck
        fill(g, SHIRT, new Ellipse2D.Double(CX - 26, 58, 52, 26));
        fill(g, shade(skin, 0.88), new Rectangle2D.Double(CX - 5, 48, 10, 14));
        // hair behind the head: 0 round, 1 long, 2 short
        Area back = new Area(new Ellipse2D.Double(CX - fw / 2 - 4, 11, fw + 8, n.hairStyle() == 2 ? 34 : 40));
        if (n.hairStyle() == 1) {
            back.add(new Area(new RoundRectangle2D.Double(CX - fw / 2 - 4, 26, fw + 8, 32, 8, 8)));
        }
        fill(g, hair, back);
        // ears, then the face
        fill(g, shade(skin, 0.95), new Ellipse2D.Double(CX - fw / 2 - 2.5, 31, 5, 8));
        fill(g, shade(skin, 0.95), new Ellipse2D.Double(CX + fw / 2 - 2.5, 31, 5, 8));
        Ellipse2D face = new Ellipse2D.Double(CX - fw / 2, CY - 20, fw, 40);
        fill(g, skin, face);
        Color lineColor = shade(skin, 0.62);
        if (f.old()) {
            for (int k = 0; k < 3; k++) {
                double y = 20.5 + 2.4 * k;
                stroke(g, lineColor, 0.55, new QuadCurve2D.Double(CX - 6, y, CX, y - 1.1, CX + 6, y));
            }
            for (int side = -1; side <= 1; side += 2) {
                double ex = CX + side * 11.6;
                stroke(g, lineColor, 0.5, new Line2D.Double(ex, 31, ex + side * 2.2, 30));
                stroke(g, lineColor, 0.5, new Line2D.Double(ex, 33, ex + side * 2.2, 34.2));
                stroke(g, lineColor, 0.5, new QuadCurve2D.Double(CX + side * 3, 43.5, CX + side * 6.5, 42, CX + side * 6,
                        38.5));
            }
        }
        if (f.beard()) {
            Area beard = new Area(new Ellipse2D.Double(CX - fw / 2 - 0.5, CY - 19, fw + 1, 41));
            beard.intersect(new Area(new Rectangle2D.Double(0, 42.3, 64, 30)));
            beard.subtract(new Area(new Ellipse2D.Double(CX - 7.5, 43.2, 15, 6.6)));
            fill(g, shade(hair, 0.92), beard);
        }
        // eyes and brows
        for (double ex : new double[] {25, 39}) {
            fill(g, EYE_WHITE, new Ellipse2D.Double(ex - 3.3, 29.9, 6.6, 4.2));
            fill(g, PUPIL, new Ellipse2D.Double(ex - 1.45, 30.55, 2.9, 2.9));
        }
        Color brow = f.old() ? shade(hair, 0.8) : shade(hair, 0.75);
        stroke(g, brow, 1.1, new QuadCurve2D.Double(21.5, 27.8, 25, 26.2, 28.5, 27.4));
        stroke(g, brow, 1.1, new QuadCurve2D.Double(35.5, 27.4, 39, 26.2, 42.5, 27.8));
        // nose
        GeneralPath nose = new GeneralPath();
        nose.moveTo(32.4, 33.5);
        nose.quadTo(30.4, 37.5, 31.2, 39);
        nose.quadTo(32.4, 39.7, 33.6, 39.1);
        stroke(g, lineColor, 0.75, nose);
        if (f.mustache()) {
            GeneralPath m = new GeneralPath();
            m.moveTo(CX - 6.8, 44.2);
            m.quadTo(CX - 3.5, 40.6, CX, 41.8);
            m.quadTo(CX + 3.5, 40.6, CX + 6.8, 44.2);
            m.quadTo(CX + 3, 43.2, CX, 43.9);
            m.quadTo(CX - 3, 43.2, CX - 6.8, 44.2);
            m.closePath();
            fill(g, shade(hair, 0.85), m);
        }
        drawMouth(g, f, skin);
        if (f.eyeglasses()) {
            double r = 4.7;
            for (double ex : new double[] {25, 39}) {
                stroke(g, FRAME, 1.15, new Ellipse2D.Double(ex - r, 32 - r, 2 * r, 2 * r));
            }
            stroke(g, FRAME, 1.15, new QuadCurve2D.Double(29.7, 31.8, 32, 30.6, 34.3, 31.8));
            stroke(g, FRAME, 1.0, new Line2D.Double(20.3, 31.2, CX - fw / 2 + 0.3, 30.4));
            stroke(g, FRAME, 1.0, new Line2D.Double(43.7, 31.2, CX + fw / 2 - 0.3, 30.4));
        }
        if (f.bangs()) {
            GeneralPath fringe = new GeneralPath();
            double left = CX - fw / 2 + 1;
            double right = CX + fw / 2 - 1;
            fringe.moveTo(left - 1, 26);
            fringe.lineTo(left - 1, 15);
            fringe.quadTo(CX, 9, right + 1, 15);
            fringe.lineTo(right + 1, 26);
            int teeth = 6;
            for (int k = teeth; k >= 0; k--) {
                double x = left + (right - left) * k / teeth;
                double y = (k % 2 == 0) ? 22.5 : 25.2;
                fringe.lineTo(x, y);
            }
            fringe.closePath();
            Area a = new Area(fringe);
            a.intersect(new Area(new Ellipse2D.Double(CX - fw / 2 - 1, 10, fw + 2, 30)));
            fill(g, hair, a);
        }
        if (f.hat()) {
            Color hat = f.hatColor().rgb();
            fill(g, hat, new Arc2D.Double(CX - 19, 7, 38, 28, 0, 180, Arc2D.CHORD));
            fill(g, shade(hat, 0.8), new RoundRectangle2D.Double(CX - 23, 18.6, 46, 4.2, 3, 3));
        }
    }

    private void drawMouth(Graphics2D g, FaceAttributes f, Color skin) {
        Color lips = f.lipstick() != null ? f.lipstick().rgb() : shade(skin, 0.7);
        double lipWidth = f.lipstick() != null ? 1.9 : 1.1;
        double u = f.nuisance().mouthCurve();
        if (f.smiling()) {
            double depth = 3.6 * (0.6 + 0.6 * u);
            GeneralPath open = new GeneralPath();
            open.moveTo(CX - 6.5, 45.2);
            open.quadTo(CX, 46.4, CX + 6.5, 45.2);
            open.quadTo(CX, 46 + 2 * depth, CX - 6.5, 45.2);
            open.closePath();
            fill(g, MOUTH_INSIDE, open);
            Area teeth = new Area(open);
            teeth.intersect(new Area(new Rectangle2D.Double(0, 44, 64, 2.9)));
            fill(g, TEETH, teeth);
            stroke(g, lips, lipWidth, open);
        } else {
            double curve = -0.3 + 0.45 * u;
            stroke(g, lips, lipWidth + 0.3, new QuadCurve2D.Double(CX - 5.5, 46.5, CX, 46.5 + 6 * curve, CX + 5.5, 46.5));
        }
    }
}
