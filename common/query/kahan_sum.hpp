// Kahan-Babuska-Neumaier compensated summation, as Prometheus 2.42's
// kahanSumInc: sum_over_time, avg_over_time, stddev/stdvar_over_time and the
// linear regression of deriv and predict_linear keep their low-order bits
// with it, so results match Prometheus's to the last digits.
//
// Plain value type; header-only because it sits in inner loops.
#pragma once

#include <cmath>

namespace mc::query {

struct KahanSum {
  double sum = 0;
  double compensation = 0;

  void add(double increment) {
    const double total = sum + increment;
    // Neumaier: compensate with whichever operand lost bits.
    if (std::abs(sum) >= std::abs(increment)) {
      compensation += (sum - total) + increment;
    } else {
      compensation += (increment - total) + sum;
    }
    sum = total;
  }

  // The compensated total. An infinite sum stays as it is: adding the
  // compensation (itself NaN or infinite by then) would turn it into NaN.
  double value() const { return std::isinf(sum) ? sum : sum + compensation; }
};

}  // namespace mc::query
