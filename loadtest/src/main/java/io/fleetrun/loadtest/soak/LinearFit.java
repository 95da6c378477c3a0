package io.fleetrun.loadtest.soak;

/**
 * An ordinary least-squares line y = intercept + slope x, with the standard error of the slope
 * (how far noise alone could move it). Pure.
 *
 * @param n points fitted
 * @param slopeStdError NaN with fewer than three points or when every x is equal
 */
public record LinearFit(int n, double slope, double intercept, double slopeStdError) {

  public static LinearFit of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
    }
    int n = x.length;
    if (n < 2) {
      return new LinearFit(n, Double.NaN, n == 1 ? y[0] : Double.NaN, Double.NaN);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx == 0) {
      return new LinearFit(n, Double.NaN, my, Double.NaN);
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double se = Double.NaN;
    if (n > 2) {
      double ssr = 0;
      for (int i = 0; i < n; i++) {
        double r = y[i] - (intercept + slope * x[i]);
        ssr += r * r;
      }
      se = Math.sqrt(ssr / (n - 2) / sxx);
    }
    return new LinearFit(n, slope, intercept, se);
  }

  /** The slope less two standard errors: growth this steep is there with about 95% confidence. */
  public double slopeLowerBound() {
    return slope - 2 * (Double.isNaN(slopeStdError) ? 0 : slopeStdError);
  }
}
