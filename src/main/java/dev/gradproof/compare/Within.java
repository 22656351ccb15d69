package dev.gradproof.compare;

/**
 * The one test every verdict rests on. {@code |a − b| > tol} is false when anything is NaN, which
 * once let a NaN gradient pass; here a NaN or infinity on either side, or a tolerance that is not a
 * finite number, is never agreement.
 */
final class Within {
    private Within() {
    }

    /** Whether a and b are finite and at most tol apart, tol itself finite. */
    static boolean agrees(double a, double b, double tol) {
        return Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(tol) && Math.abs(a - b) <= tol;
    }

    /** What the difference of a and b is, in words, when one of them is not a finite number; else null. */
    static String nonFinite(String aName, double a, String bName, double b) {
        if (!Double.isFinite(a)) {
            return "the " + aName + " is " + a;
        }
        if (!Double.isFinite(b)) {
            return "the " + bName + " is " + b;
        }
        return null;
    }
}
