package io.vcex.data.world;

/**
 * Variation that carries no attribute: pose, size, lighting and small shape differences. A
 * classifier that is right for the right reasons ignores all of it.
 *
 * @param shiftX horizontal offset of the face in pixels of the 64-pixel design space
 * @param shiftY vertical offset, likewise
 * @param scale size factor (1 = design size)
 * @param rotationDeg in-plane rotation in degrees, positive clockwise
 * @param light brightness factor of the lit side (1 = even light)
 * @param lightAngleDeg direction the light comes from, degrees (0 = from the right)
 * @param faceWidth face ellipse width factor (1 = design width)
 * @param mouthCurve mouth shape in [0, 1], independent of smiling so that toggling the smile keeps
 *     it meaningful: a smile opens wider as it grows; a closed mouth goes from a slight frown (0)
 *     to a slight upturn (1)
 * @param hairStyle 0, 1 or 2: the hair's outline
 */
public record Nuisance(double shiftX, double shiftY, double scale, double rotationDeg, double light,
        double lightAngleDeg, double faceWidth, double mouthCurve, int hairStyle) {

    /** @return a centred, evenly lit face of design size */
    public static Nuisance neutral() {
        return new Nuisance(0, 0, 1, 0, 1, 0, 1, 0.5, 0);
    }
}
