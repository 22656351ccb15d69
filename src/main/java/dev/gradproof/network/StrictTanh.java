package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * tanh as {@link StrictMath#tanh} defines it (fdlibm's s_tanh.c over s_expm1.c), written out in Java.
 *
 * <p>Why: on Java 17 {@code Math.tanh} is {@code StrictMath.tanh}, a native call that costs about 25 ns,
 * three times an {@code exp}; the recurrent layers call it for every gate at every step of every
 * perturbed forward pass of a finite difference. The same algorithm in Java runs in compiled code.
 * Every operation is an IEEE double operation in the order fdlibm performs it, so the results are
 * StrictMath's bit for bit (StrictTanhTest compares them over the whole range); one function is used
 * wherever the reference forward pass and the tape take a tanh, so the two agree on any JVM.
 */
@API(status = INTERNAL, since = "0.2")
public final class StrictTanh {
    private StrictTanh() {
    }

    private static final double HUGE = 1.0e300;
    private static final double TINY = 1.0e-300;
    private static final double O_THRESHOLD = Double.longBitsToDouble(0x40862E42_FEFA39EFL);
    private static final double LN2_HI = Double.longBitsToDouble(0x3FE62E42_FEE00000L);
    private static final double LN2_LO = Double.longBitsToDouble(0x3DEA39EF_35793C76L);
    private static final double INV_LN2 = Double.longBitsToDouble(0x3FF71547_652B82FEL);
    private static final double Q1 = Double.longBitsToDouble(0xBFA11111_111110F4L);
    private static final double Q2 = Double.longBitsToDouble(0x3F5A01A0_19FE5585L);
    private static final double Q3 = Double.longBitsToDouble(0xBF14CE19_9EAADBB7L);
    private static final double Q4 = Double.longBitsToDouble(0x3ED0CFCA_86E65239L);
    private static final double Q5 = Double.longBitsToDouble(0xBE8AFDB7_6E09C32DL);

    /** tanh(x), bit for bit StrictMath.tanh(x). */
    public static double tanh(double x) {
        int jx = high(x);
        int ix = jx & 0x7fffffff;
        if (ix >= 0x7ff00000) {
            return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
        }
        double z;
        if (ix < 0x40360000) {
            if (ix < 0x3c800000) {
                return x * (1.0 + x);
            }
            if (ix >= 0x3ff00000) {
                double t = expm1(2.0 * Math.abs(x));
                z = 1.0 - 2.0 / (t + 2.0);
            } else {
                double t = expm1(-2.0 * Math.abs(x));
                z = -t / (t + 2.0);
            }
        } else {
            z = 1.0 - TINY;
        }
        return jx >= 0 ? z : -z;
    }

    /** e^x − 1, bit for bit StrictMath.expm1(x). */
    public static double expm1(double x) {
        int hx = high(x);
        boolean negative = hx < 0;
        hx &= 0x7fffffff;
        if (hx >= 0x4043687A) {
            if (hx >= 0x40862E42) {
                if (hx >= 0x7ff00000) {
                    if (((hx & 0xfffff) | low(x)) != 0) {
                        return x + x;
                    }
                    return negative ? -1.0 : x;
                }
                if (x > O_THRESHOLD) {
                    return HUGE * HUGE;
                }
            }
            if (negative && x + TINY < 0.0) {
                return TINY - 1.0;
            }
        }
        double c = 0;
        int k;
        if (hx > 0x3fd62e42) {
            double hi;
            double lo;
            if (hx < 0x3FF0A2B2) {
                if (!negative) {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                } else {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            } else {
                k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
                double t = k;
                hi = x - t * LN2_HI;
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (hx < 0x3c900000) {
            double t = HUGE + x;
            return x - (t - (HUGE + x));
        } else {
            k = 0;
        }
        double hfx = 0.5 * x;
        double hxs = x * hfx;
        double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0) {
            return x - (x * e - hxs);
        }
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1) {
            return 0.5 * (x - e) - 0.5;
        }
        if (k == 1) {
            if (x < -0.25) {
                return -2.0 * (e - (x + 0.5));
            }
            return 1.0 + 2.0 * (x - e);
        }
        if (k <= -2 || k > 56) {
            double y = 1.0 - (e - x);
            y = addExponent(y, k);
            return y - 1.0;
        }
        double y;
        if (k < 20) {
            double one = withHigh(1.0, 0x3ff00000 - (0x200000 >> k));
            y = one - (e - x);
        } else {
            double twoToMinusK = withHigh(1.0, (0x3ff - k) << 20);
            y = x - (e + twoToMinusK);
            y += 1.0;
        }
        return addExponent(y, k);
    }

    private static int high(double x) {
        return (int) (Double.doubleToRawLongBits(x) >> 32);
    }

    private static int low(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    /** x with its high word replaced (fdlibm's __HI(x) = hi on a variable holding 1.0: low word 0). */
    private static double withHigh(double x, int hi) {
        long bits = Double.doubleToRawLongBits(x);
        return Double.longBitsToDouble(((long) hi << 32) | (bits & 0xffffffffL));
    }

    /** fdlibm's __HI(y) += k << 20: k added to the exponent field, as a 32-bit add on the high word. */
    private static double addExponent(double y, int k) {
        return withHigh(y, high(y) + (k << 20));
    }
}
