// Go's math.Pow, math.Mod and math.Atan2, which PromQL's ^, % and atan2 are
// defined by (Prometheus 2.42 calls them for vectors and scalars alike).
// Pow and Atan2 are Go's own algorithms, not the C library's (repeated
// squaring of the mantissa; the Cephes arctangent series), so their last bit
// can differ from pow() and atan2(); these follow Go's steps.
//
// Pure functions; safe from any thread.
#pragma once

namespace mc::query {

// math.Pow(x, y), special cases included (Pow(x, ±0) = 1, Pow(1, NaN) = 1,
// Pow(-1, ±Inf) = 1, Pow(-8, 1/3) = NaN, ...). The fractional part of y goes
// through exp(f * log(x)) as in Go, but with the C library's exp and log,
// whose last bit may differ from Go's assembly ones; integer exponents are
// Go's exact steps.
double go_pow(double x, double y);

// math.Mod(x, y): the remainder of x/y with the sign of x, exact; NaN for
// y = 0, x = ±Inf or either NaN; x for y = ±Inf.
double go_mod(double x, double y);

// math.Atan2(y, x), special cases included (signed zeros, ±Inf, NaN).
double go_atan2(double y, double x);

}  // namespace mc::query
