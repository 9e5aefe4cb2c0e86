"""Evidence synthesis across trials: pooled effects, network meta-analysis and dose-response.

Pure statistics on numpy (scipy imported lazily, inside the functions that need it), no Qt. Each
analysis returns a typed, immutable result that carries a ``reason`` when an expected situation (one
trial, a zero cell, a disconnected network, tau² at zero) changes what can be said, instead of raising:
exceptions are kept for programming errors and impossible input.

Modules, one job each:

- :mod:`~viewer.domain.synthesis.effect_sizes`: trial-level effects (RD, log RR, log OR) and the
  covariance of a multi-arm trial's contrasts, from arm counts;
- :mod:`~viewer.domain.synthesis.pairwise`: fixed and random effects (REML, DerSimonian–Laird,
  Hartung–Knapp–Sidik–Jonkman), tau², I² with its Q-profile CI, prediction interval;
- :mod:`~viewer.domain.synthesis.network`: frequentist contrast-based network meta-analysis and league
  table; :mod:`~viewer.domain.synthesis.inconsistency`: design-by-treatment interaction test and
  direct/indirect splits;
- :mod:`~viewer.domain.synthesis.dose_response`: placebo-adjusted Emax, linear and log-linear models
  across trials with trial-level random effects (model-based meta-analysis).

Reference values come from R metafor 3.8 and DoseFinding 1.0 (scripts in ``tests/r/``).
"""
