# Reference values for viewer.domain.stats person-time functions (tests/domain/test_person_time.py).
# Run: Rscript tests/domain/person_time_reference.R   (R 4.x, base stats only)
cases <- list(c(30, 1000, 12, 800), c(7, 308.6, 0, 250.2), c(0, 120.5, 3, 118.0), c(1, 50, 1, 50))
for (k in cases) {
  one <- poisson.test(k[1], k[2])
  two <- poisson.test(c(k[1], k[3]), c(k[2], k[4]))
  cat(sprintf("%g %g %g %g | rate %.10f %.10f %.10f | irr %.10g %.10g %.10g\n", k[1], k[2], k[3], k[4],
              100 * one$estimate, 100 * one$conf.int[1], 100 * one$conf.int[2],
              two$estimate, two$conf.int[1], two$conf.int[2]))
}
