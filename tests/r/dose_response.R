# Reference values for the model-based dose-response (viewer/domain/synthesis/dose_response.py) with
# DoseFinding's generalised-least-squares fit on placebo-adjusted data.
# Run from the repository root: Rscript tests/r/dose_response.R (after tests/r/export_jak.py).
# For each drug: arms against their own trial's placebo (risk difference and log odds ratio), covariance
# V from the shared placebo plus tau2 * C (1 on the diagonal, 1/2 within a trial); tau2 maximises the
# restricted likelihood linearised at the fit, -1/2 [log|S| + log|J'S^-1 J| + gRSS], where gRSS and the
# coefficients come from DoseFinding::fitMod(type = "general", placAdj = TRUE). The log-linear model is
# fitted as DoseFinding's linear model on log(d + off) - log(off) (DoseFinding refuses linlog with placAdj).
suppressMessages({library(DoseFinding); library(jsonlite)})
out <- "tests/data/r_reference"
jak <- read.csv(file.path(out, "jak_acr20_mtxir.csv"), stringsAsFactors = FALSE)

points <- function(drug, measure) {
  y <- c(); d <- c(); Vs <- list(); Cs <- list()
  for (st in unique(jak$study)) {
    a <- jak[jak$study == st, ]
    if (!any(a$drug == "placebo") || !any(a$drug == drug)) next
    a <- rbind(a[a$drug == "placebo", ], a[a$drug == drug, ])
    x <- a$xi; n <- a$ni
    if (any(x == 0 | x == n)) { x <- x + 0.5; n <- n + 1 }
    p <- x / n
    if (measure == "RD") { v <- p; s <- p * (1 - p) / n } else { v <- qlogis(p); s <- 1 / x + 1 / (n - x) }
    k <- nrow(a) - 1
    y <- c(y, v[-1] - v[1]); d <- c(d, as.numeric(a$daily_mg[-1]))
    Vs[[st]] <- matrix(s[1], k, k) + diag(s[-1], k)
    Cs[[st]] <- matrix(0.5, k, k) + diag(0.5, k)
  }
  list(y = y, d = d, V = as.matrix(Matrix::bdiag(Vs)), C = as.matrix(Matrix::bdiag(Cs)), trials = length(Vs))
}

fit_at <- function(pt, model, tau2) {
  S <- pt$V + tau2 * pt$C
  off <- 0.01 * max(pt$d)
  if (model == "emax") {
    f <- fitMod(pt$d, pt$y, S = S, model = "emax", type = "general", placAdj = TRUE, bnds = c(0.001, 1.5) * max(pt$d))
    th <- coef(f); J <- cbind(pt$d / (th[2] + pt$d), -th[1] * pt$d / (th[2] + pt$d)^2)
  } else {
    x <- if (model == "linear") pt$d else log(pt$d + off) - log(off)
    f <- fitMod(x, pt$y, S = S, model = "linear", type = "general", placAdj = TRUE)
    th <- coef(f); J <- matrix(x, ncol = 1)
  }
  obj <- -0.5 * (determinant(S)$modulus + determinant(t(J) %*% solve(S, J))$modulus + f$gRSS)
  list(fit = f, obj = as.numeric(obj))
}

reference <- function(drug, measure, model) {
  pt <- points(drug, measure)
  n_par <- if (model == "emax") 2 else 1
  tau2 <- 0
  if (pt$trials > 1 && length(pt$y) > n_par) {
    scale <- max(var(pt$y) * (length(pt$y) - 1) / length(pt$y), max(diag(pt$V)))
    o <- optimize(function(t) -fit_at(pt, model, t)$obj, c(0, 10 * scale), tol = 1e-12 * scale)
    tau2 <- if (-fit_at(pt, model, 0)$obj <= o$objective) 0 else o$minimum
  }
  f <- fit_at(pt, model, tau2)$fit
  list(drug = drug, measure = measure, model = model, tau2 = tau2, coef = unname(as.numeric(coef(f))),
       se = unname(sqrt(diag(vcov(f)))), doses = pt$d, effects = pt$y)
}

res <- list()
for (drug in c("upadacitinib", "baricitinib", "tofacitinib"))
  for (measure in c("RD", "OR"))
    for (model in c("emax", "linear", "loglinear"))
      res[[length(res) + 1]] <- reference(drug, measure, model)
write_json(res, file.path(out, "dose_response_jak.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat("written to", out, "\n")
