# Reference values for tests/synthesis from R metafor (and DoseFinding, see dose_response.R).
# Run from the repository root: Rscript tests/r/reference.R
# Writes JSON into tests/data/r_reference/; the pytest suite reads those files and needs no R.
# Versions used: R 4.x (Debian r-base-core), metafor 3.8-1, jsonlite, Matrix (bdiag).
suppressMessages({library(metafor); library(jsonlite)})
out <- "tests/data/r_reference"
tight <- list(threshold = 1e-12, maxiter = 10000, tau2.max = 1e4)

save <- function(x, name) write_json(x, file.path(out, name), digits = NA, auto_unbox = TRUE, pretty = TRUE)

summarise <- function(yi, vi, method, test) {
  fit <- rma(yi, vi, method = method, test = test, control = tight)
  pr <- predict(fit)
  r <- list(method = method, test = test, k = fit$k, estimate = as.numeric(fit$beta), se = fit$se,
            ci_lb = fit$ci.lb, ci_ub = fit$ci.ub, pval = fit$pval, tau2 = fit$tau2, QE = fit$QE,
            QEp = fit$QEp, I2 = fit$I2, H2 = fit$H2)
  if (method != "FE") {
    r$pi_lb <- pr$pi.lb; r$pi_ub <- pr$pi.ub
    if (fit$k > 1) {
      ci <- confint(fit, control = list(tau2.max = 1e4, tol = 1e-13, maxiter = 10000))$random
      r$tau2_lb <- ci["tau^2", "ci.lb"]; r$tau2_ub <- ci["tau^2", "ci.ub"]
      r$I2_lb <- ci["I^2(%)", "ci.lb"]; r$I2_ub <- ci["I^2(%)", "ci.ub"]
    }
    r$weights <- as.numeric(weights(fit))
  }
  r
}

all_methods <- function(yi, vi) {
  list(summarise(yi, vi, "REML", "z"), summarise(yi, vi, "DL", "z"), summarise(yi, vi, "FE", "z"),
       summarise(yi, vi, "REML", "knha"), summarise(yi, vi, "DL", "knha"))
}

# ---- pairwise: BCG vaccine (dat.bcg), 2x2 tables, three measures -------------------------------------
bcg <- dat.bcg
pairwise_bcg <- list(data = list(tpos = bcg$tpos, n1 = bcg$tpos + bcg$tneg, cpos = bcg$cpos, n2 = bcg$cpos + bcg$cneg))
for (m in c("RR", "OR", "RD")) {
  es <- escalc(m, ai = tpos, bi = tneg, ci = cpos, di = cneg, data = bcg, add = 1/2, to = "only0", drop00 = TRUE)
  pairwise_bcg[[tolower(m)]] <- list(yi = as.numeric(es$yi), vi = as.numeric(es$vi), fits = all_methods(es$yi, es$vi))
}
save(pairwise_bcg, "pairwise_bcg.json")

# ---- pairwise: mean differences (dat.normand1999), effects given as yi, vi ---------------------------
es <- escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)
save(list(yi = as.numeric(es$yi), vi = as.numeric(es$vi), fits = all_methods(es$yi, es$vi)), "pairwise_normand1999.json")

# ---- pairwise: zero cells and tau2 at zero (made-up small tables that exercise the rules) ---------------
zero <- data.frame(ai = c(0, 2, 5, 1), n1i = c(20, 25, 30, 15), ci = c(3, 0, 6, 0), n2i = c(20, 24, 31, 15))
zero_out <- list(data = as.list(zero))
for (m in c("RR", "OR", "RD")) {
  es <- escalc(m, ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = zero, add = 1/2, to = "only0", drop00 = TRUE)
  zero_out[[tolower(m)]] <- list(yi = as.numeric(es$yi), vi = as.numeric(es$vi), fits = all_methods(es$yi, es$vi))
}
save(zero_out, "pairwise_zero_cells.json")

# ---- network meta-analysis: contrast-based model with rma.mv ----------------------------------------
# Each trial: arms against a baseline (the reference when present, else the first treatment in C-locale
# order); 0.5 added to every cell of a trial with an empty cell; covariance = the baseline arm's variance.
arm_scale <- function(x, n, measure) {
  p <- x / n
  switch(measure, OR = list(v = qlogis(p), s = 1 / x + 1 / (n - x)), RR = list(v = log(p), s = 1 / x - 1 / n),
         RD = list(v = p, s = p * (1 - p) / n))
}

contrasts <- function(arms, reference, measure) {
  rows <- list(); Vs <- list()
  for (st in unique(arms$study)) {
    a <- arms[arms$study == st, ]
    trts <- sort(a$trt, method = "radix")
    base <- if (reference %in% a$trt) reference else trts[1]
    a <- a[c(which(a$trt == base), which(a$trt != base)), ]
    x <- a$xi; n <- a$ni
    if (any(x == 0 | x == n)) { x <- x + 0.5; n <- n + 1 }
    s <- arm_scale(x, n, measure)
    k <- nrow(a) - 1
    design <- paste(sort(a$trt, method = "radix"), collapse = "|")
    rows[[st]] <- data.frame(study = st, trt = a$trt[-1], base = base, yi = s$v[-1] - s$v[1], design = design,
                             stringsAsFactors = FALSE)
    Vs[[st]] <- matrix(s$s[1], k, k) + diag(s$s[-1], k)
  }
  d <- do.call(rbind, rows)
  d$comp <- paste(d$trt, d$base, sep = " vs ")
  list(d = d, V = as.matrix(bdiag(Vs)))
}

basic_matrix <- function(d, treatments) {
  X <- matrix(0, nrow(d), length(treatments) - 1, dimnames = list(NULL, treatments[-1]))
  for (i in seq_len(nrow(d))) {
    if (d$trt[i] != treatments[1]) X[i, d$trt[i]] <- X[i, d$trt[i]] + 1
    if (d$base[i] != treatments[1]) X[i, d$base[i]] <- X[i, d$base[i]] - 1
  }
  X
}

gen_q <- function(fit) { r <- as.numeric(residuals(fit)); M <- vcov(fit, type = "obs"); as.numeric(t(r) %*% solve(M, r)) }

# C: 1 on the diagonal, 1/2 between two contrasts of one trial (the rho = 1/2 of struct = "CS")
c_matrix <- function(d) { C <- outer(d$study, d$study, "==") * 0.5; diag(C) <- 1; C }

# Method-of-moments tau2 (Jackson, White & Riley 2012): (Q - (n - p)) / tr(P0 C), P0 at tau2 = 0.
# metafor's rma.mv has no such estimator; its rma() has, for two-arm networks (C = I), checked below.
moment_tau2 <- function(y, X, V, C) {
  W <- solve(V); P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  df <- length(y) - qr(X)$rank
  if (df <= 0) return(0)
  max(0, (as.numeric(t(y) %*% P %*% y) - df) / sum(diag(P %*% C)))
}

mv_control <- list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-14, maxit = 10000)

# The random-effects network at a tau2 (estimated by REML when tau2 is NULL)
mv_fit <- function(d, V, X, tau2 = NULL) {
  if (is.null(tau2)) rma.mv(d$yi, V, mods = X, intercept = FALSE, random = ~ comp | study, struct = "CS",
                            rho = 1/2, data = d, method = "REML", control = mv_control)
  else rma.mv(d$yi, V, mods = X, intercept = FALSE, random = ~ comp | study, struct = "CS", rho = 1/2,
              data = d, tau2 = tau2)
}

pairs_of <- function(b, S, treatments, crit) {
  b <- c(0, b); S <- rbind(0, cbind(0, S))
  out <- list()
  for (i in seq_along(treatments)) for (j in seq_along(treatments)) if (i != j) {
    est <- b[i] - b[j]; se <- sqrt(S[i, i] + S[j, j] - 2 * S[i, j])
    out[[length(out) + 1]] <- list(first = treatments[i], second = treatments[j], estimate = est, se = se,
                                    ci_lb = est - crit * se, ci_ub = est + crit * se)
  }
  out
}

# One random-effects network summary: coefficients, covariance and pairs, Wald and Hartung-Knapp
summary_of <- function(fit, treatments, df) {
  b <- as.numeric(coef(fit)); S <- unname(vcov(fit))
  s2 <- gen_q(fit) / df
  list(coef = b, vcov = S, tau2 = fit$tau2, pairs = pairs_of(b, S, treatments, qnorm(0.975)),
       hksj = list(scale = s2, df = df, vcov = S * s2, pairs = pairs_of(b, S * s2, treatments, qt(0.975, df))))
}

# Node-split of a vs b (a earlier in the treatment order): delta added to b against a in trials with both
node_split <- function(d, V, X, C, treatments, a, b, tau2_of) {
  has <- function(st, t) any(d$study == st & (d$trt == t | d$base == t))
  both <- sapply(d$study, function(st) has(st, a) && has(st, b))
  s <- both * ((d$trt == b) - (d$base == b))
  Xs <- cbind(X, split = s)
  if (qr(Xs)$rank == qr(X)$rank) return(NULL)
  tau2 <- tau2_of(Xs)
  fit <- if (is.na(tau2)) rma.mv(d$yi, V, mods = Xs, intercept = FALSE, method = "FE") else mv_fit(d, V, Xs, tau2)
  cvec <- rep(0, ncol(Xs)); if (b != treatments[1]) cvec[match(b, treatments) - 1] <- 1
  if (a != treatments[1]) cvec[match(a, treatments) - 1] <- -1
  dvec <- cvec; dvec[ncol(Xs)] <- 1
  bb <- as.numeric(coef(fit)); S <- vcov(fit)
  delta_se <- sqrt(S[ncol(Xs), ncol(Xs)]); z <- bb[ncol(Xs)] / delta_se
  list(first = b, second = a, direct = sum(dvec * bb), direct_se = sqrt(as.numeric(t(dvec) %*% S %*% dvec)),
       indirect = sum(cvec * bb), indirect_se = sqrt(as.numeric(t(cvec) %*% S %*% cvec)), z = z,
       pval = 2 * pnorm(-abs(z)), tau2 = if (is.na(tau2)) 0 else fit$tau2)
}

network <- function(arms, reference, measure) {
  cs <- contrasts(arms, reference, measure); d <- cs$d; V <- cs$V
  treatments <- c(reference, sort(setdiff(unique(arms$trt), reference), method = "radix"))
  X <- basic_matrix(d, treatments); C <- c_matrix(d)
  df <- nrow(d) - ncol(X)
  fe <- rma.mv(d$yi, V, mods = X, intercept = FALSE, method = "FE")
  re <- mv_fit(d, V, X)
  dl <- mv_fit(d, V, X, moment_tau2(d$yi, X, V, C))
  # design-by-treatment interaction: every design its own effects
  keys <- unique(paste(d$design, d$trt, sep = " :: "))
  Xd <- matrix(0, nrow(d), length(keys))
  for (i in seq_len(nrow(d))) Xd[i, match(paste(d$design[i], d$trt[i], sep = " :: "), keys)] <- 1
  fe_d <- rma.mv(d$yi, V, mods = Xd, intercept = FALSE, method = "FE")
  df_within <- nrow(d) - ncol(Xd)
  dbt <- function(tau2_d) list(tau2 = tau2_d,
    Q_between_random = gen_q(mv_fit(d, V, X, tau2_d)) - gen_q(mv_fit(d, V, Xd, tau2_d)))
  dbt_reml <- dbt(if (df_within > 0) mv_fit(d, V, Xd)$tau2 else re$tau2)
  dbt_dl <- dbt(if (df_within > 0) moment_tau2(d$yi, Xd, V, C) else dl$tau2)
  # node-splitting on every comparison with direct evidence, under REML, DL and fixed effect
  splits <- list(reml = list(), dl = list(), fixed = list())
  tau2_reml <- function(Xs) if (nrow(d) > ncol(Xs)) mv_fit(d, V, Xs)$tau2 else re$tau2
  tau2_dl <- function(Xs) if (nrow(d) > ncol(Xs)) moment_tau2(d$yi, Xs, V, C) else dl$tau2
  for (i in seq_along(treatments)) for (j in seq_along(treatments)) if (i < j) {
    a <- treatments[i]; b <- treatments[j]
    if (length(intersect(arms$study[arms$trt == a], arms$study[arms$trt == b])) == 0) next
    for (m in names(splits)) {
      f <- switch(m, reml = tau2_reml, dl = tau2_dl, fixed = function(Xs) NA)
      s <- node_split(d, V, X, C, treatments, a, b, f)
      if (!is.null(s)) splits[[m]][[length(splits[[m]]) + 1]] <- s
    }
  }
  list(measure = measure, reference = reference, treatments = treatments,
       fixed = list(coef = as.numeric(coef(fe)), vcov = unname(vcov(fe)), QE = fe$QE, QE_df = fe$k - fe$p,
                    pairs = pairs_of(as.numeric(coef(fe)), unname(vcov(fe)), treatments, qnorm(0.975))),
       random = summary_of(re, treatments, df), random_dl = summary_of(dl, treatments, df),
       design_by_treatment = list(Q_within = fe_d$QE, df_within = df_within, Q_between = fe$QE - fe_d$QE,
                                  df_between = ncol(Xd) - ncol(X), tau2 = dbt_reml$tau2,
                                  Q_between_random = dbt_reml$Q_between_random,
                                  dl = dbt_dl),
       splits = splits)
}

# An independent check of the network's DL and Hartung-Knapp: with two-arm trials against the reference
# only, the model is a meta-regression on treatment, which metafor's rma() fits with its own DL estimator
# and test = "knha". (A star: rma() centres yi before its moment estimators, which assumes the constant
# lies in the column space of the moderators; with only trials against the reference it does.)
two_arm_network <- function(arms, reference, measure) {
  two <- names(which(table(arms$study) == 2))
  two <- intersect(two, arms$study[arms$trt == reference])
  arms <- arms[arms$study %in% two, ]
  cs <- contrasts(arms, reference, measure); d <- cs$d
  treatments <- c(reference, sort(setdiff(unique(arms$trt), reference), method = "radix"))
  X <- basic_matrix(d, treatments)
  fits <- list()
  for (method in c("DL", "REML")) for (test in c("z", "knha")) {
    f <- rma(d$yi, diag(cs$V), mods = X, intercept = FALSE, method = method, test = test, control = tight)
    fits[[length(fits) + 1]] <- list(method = method, test = test, tau2 = f$tau2, coef = as.numeric(coef(f)),
                                     vcov = unname(vcov(f)))
  }
  list(arms = arms, treatments = treatments, fits = fits)
}

hb <- dat.hasselblad1998
hb_arms <- data.frame(study = as.character(hb$study), trt = hb$trt, xi = hb$xi, ni = hb$ni, stringsAsFactors = FALSE)
save(list(arms = hb_arms, or = network(hb_arms, "no_contact", "OR"), rd = network(hb_arms, "no_contact", "RD"),
          two_arm_or = two_arm_network(hb_arms, "no_contact", "OR")),
     "network_hasselblad1998.json")

jak <- read.csv(file.path(out, "jak_acr20_mtxir.csv"), stringsAsFactors = FALSE)
jak_arms <- jak[, c("study", "trt", "xi", "ni")]
save(list(or = network(jak_arms, "placebo", "OR"), rd = network(jak_arms, "placebo", "RD"),
          rr = network(jak_arms, "placebo", "RR")), "network_jak_acr20_mtxir.json")

# ---- pairwise on the JAK data: baricitinib 4 mg QD vs placebo (JADA, RA-BEAM) ------------------------
b4 <- function(st) { a <- jak[jak$study == st, ]; c(a$xi[a$trt == "Baricitinib 4 mg QD"], a$ni[a$trt == "Baricitinib 4 mg QD"],
                                                     a$xi[a$trt == "placebo"], a$ni[a$trt == "placebo"]) }
tab <- rbind(b4("jada"), b4("ra-beam"))
jak_pw <- list(data = list(x1 = tab[, 1], n1 = tab[, 2], x2 = tab[, 3], n2 = tab[, 4]))
for (m in c("RR", "OR", "RD")) {
  es <- escalc(m, ai = tab[, 1], n1i = tab[, 2], ci = tab[, 3], n2i = tab[, 4], add = 1/2, to = "only0")
  jak_pw[[tolower(m)]] <- list(yi = as.numeric(es$yi), vi = as.numeric(es$vi), fits = all_methods(es$yi, es$vi))
}
save(jak_pw, "pairwise_jak_baricitinib4.json")
cat("written to", out, "\n")
