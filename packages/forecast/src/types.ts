/** One observation of a daily series. `date` is a UTC calendar day `YYYY-MM-DD`. */
export interface SeriesPoint {
  date: string;
  value: number;
}

/** Models that can be requested from {@link forecast}. */
export type ModelName = 'ensemble' | 'ets' | 'theta' | 'seasonal_naive';
/** Every {@link ModelName}, for validation. */
export const MODEL_NAMES: readonly ModelName[] = ['ensemble', 'ets', 'theta', 'seasonal_naive'];

/**
 * Model actually used. Besides the requested {@link ModelName}:
 * - `damped_trend_fallback`: fewer than 14 points (two weeks), so a damped-trend
 *   model without seasonality, ETS(A,Ad,N), was used instead;
 * - `insufficient_data`: 0 or 1 points, no forecast is produced.
 */
export type ModelType = ModelName | 'damped_trend_fallback' | 'insufficient_data';

/** Options of {@link forecast}. */
export interface ForecastOptions {
  /** Number of days to forecast after the last input date (positive integer). */
  horizon: number;
  /** Extra central interval levels in (0, 1) reported in `bands`; 0.8 and 0.95 are always computed. */
  levels?: number[];
  /** Model to use. Default `'ensemble'` (equal-weight mean of ETS and Theta). */
  model?: ModelName;
  /** Fill missing days with 0 instead of throwing. Default false. */
  fillMissing?: boolean;
  /** Clamp forecasts and bounds at 0 (counts cannot be negative). Default true. */
  nonNegative?: boolean;
  /** Seasonal period in days. Default 7. */
  period?: number;
  /** Maximum number of rolling backtest origins. Default 12. */
  maxOrigins?: number;
  /** Days between backtest origins. Default 7. */
  originStep?: number;
  /**
   * Yearly component of the ensemble (last year's same-weekday profile, see yearly.ts): 'auto' (default)
   * uses it when a year of history exists, chosen by backtest when ≥ 3 backtest origins have a year
   * of training; true forces it (when a year exists), false turns it off. Ignored by the single models.
   */
  yearly?: 'auto' | boolean;
  /**
   * Values the models are fitted on instead of the series' values (one per day, after gap filling),
   * e.g. with anomalous days replaced by their expectation. The backtest still scores, and the
   * intervals still come from, errors against the series' own values.
   */
  fitValues?: readonly number[];
}

/** A central prediction interval at `level` (e.g. 0.9). */
export interface Band {
  level: number;
  lower: number;
  upper: number;
}

/** One forecast day. */
export interface ForecastPoint {
  date: string;
  predicted: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  /** Seasonal-naive baseline for the same day (same weekday of the last observed week), or null. */
  baseline: number | null;
  /** Bands for the extra `levels` requested (empty when none were requested). */
  bands: Band[];
}

/** Fitted ETS(A,Ad,A) (or ETS(A,Ad,N) when `period` is 0) parameters and initial states. */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** Initial level and trend (states before the first observation). */
  l0: number;
  b0: number;
  /** Initial seasonal states by position `t mod period` (empty when non-seasonal). */
  s0: number[];
  period: number;
  /** In-sample one-step-ahead sum of squared errors at the optimum. */
  sse: number;
  /** Objective evaluations used by Nelder–Mead. */
  evaluations: number;
}

/** Fitted Theta-method parameters. */
export interface ThetaParams {
  /** SES smoothing parameter on the seasonally adjusted series. */
  alpha: number;
  /** Drift per day = half the OLS slope of the seasonally adjusted series (theta = 2 line combined with theta = 0 line). */
  drift: number;
  /** Decomposition used: 'multiplicative', 'additive' or 'none' (seasonality test failed / too short). */
  seasonality: 'multiplicative' | 'additive' | 'none';
  /** Seasonal indices by position `t mod period` (ratios or differences; empty when 'none'). */
  indices: number[];
  /** Final SES level (seasonally adjusted scale). */
  level: number;
}

/** Parameters reported by {@link forecast}. */
export interface ForecastParams {
  period: number;
  ets?: EtsParams;
  theta?: ThetaParams;
  /** Ensemble weights (fixed equal weights, see ENSEMBLE_WEIGHTS). */
  weights?: { ets: number; theta: number };
  /** How the prediction intervals were obtained. */
  interval_method: 'empirical' | 'normal_approx' | 'none';
  /** Yearly component, when used: forecast = (1 − weight)·weekly ensemble + weight·component. */
  yearly?: { weight: number; lag: number; growth: number; detail: number };
}

/** Why the forecast looks the way it does (for the chart's "how was this computed" text). */
export interface ForecastExplanation {
  /** One-line description of the method used. */
  method: string;
  /** Trend per day of the fitted weekly model at the end of the history (units of the series). */
  trend_per_day: number;
  /** Strength of the weekly pattern in [0, 1] (1 − Var(remainder)/Var(seasonal + remainder)). */
  weekly_strength: number;
  /** Whether the yearly component (last year's profile) is part of the forecast. */
  yearly_used: boolean;
  /** Why it is or is not used (history length, backtest errors with and without). */
  yearly_reason: string;
  /** Backtest MASE of the model: mean absolute error ÷ in-sample MAE of the weekly seasonal naive (null without backtest). */
  backtest_mase: number | null;
  /** Backtest MASE of the seasonal-naive baseline on the same origins (below 1 is typical; the model should be lower). */
  baseline_mase: number | null;
}

/** Result of {@link forecast}. */
export interface ForecastResult {
  model_type: ModelType;
  points: ForecastPoint[];
  /** Backtest MAPE in percent of the model (mean over all origins and steps 1..backtest_horizon; zero actuals skipped). */
  mape: number | null;
  /** Backtest sMAPE in percent (0..200) of the model. */
  smape: number | null;
  /** Backtest MAPE in percent of the seasonal-naive baseline over the same origins and steps. */
  baseline_mape: number | null;
  /** Backtest sMAPE in percent of the seasonal-naive baseline. */
  baseline_smape: number | null;
  /** Number of rolling origins in the backtest (0 when history is too short). */
  backtest_origins: number;
  /** Horizon actually evaluated by the backtest (≤ requested horizon when history is short). */
  backtest_horizon: number;
  params: ForecastParams;
  /** First and last input date used for training (null when the series is empty). */
  training_start: string | null;
  training_end: string | null;
  /** Human-readable notes: fallbacks, filled gaps, skipped zero actuals, etc. */
  notes: string[];
  /** How the forecast was made (always set by {@link forecast}; optional for hand-built results). */
  explanation?: ForecastExplanation;
}

/** Options of {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Robust z-score above which a day is flagged. Default 3.5. */
  threshold?: number;
  /** Seasonal period in days. Default 7. */
  period?: number;
  /** Window (days, odd) of the rolling median trend. Default 15. */
  trendWindow?: number;
  /** Weeks either side used for the median weekly profile. Default 4. */
  seasonalWeeks?: number;
  /** 'auto' (multiplicative when values are ≥ 0 and the trend stays positive, else additive), or prefer one. Default 'auto'. */
  mode?: 'auto' | 'multiplicative' | 'additive';
  /**
   * Floor for the robust scale of the scaled residuals, so near-perfect series do not flag rounding
   * noise (0.01: deviations under ~3.5% are never flagged at the default threshold). Default 0.01.
   */
  minScale?: number;
  /** Fill missing days with 0 instead of throwing. Default false. */
  fillMissing?: boolean;
  /**
   * Residual scale: 'count' (negative-binomial: Poisson noise for low counts, relative for high ones),
   * 'relative' (residual ÷ expectation), or 'auto' (default): 'count' when every value is a
   * non-negative integer.
   */
  score?: 'auto' | 'count' | 'relative';
}

/** One scored day of {@link detectAnomalies}. */
export interface AnomalyPoint {
  date: string;
  value: number;
  /** Robust leave-one-out seasonal fit (trend × weekly profile, or trend + profile). */
  expected: number;
  /** value − expected. */
  residual: number;
  /** Robust z-score of the residual scaled by the expectation. */
  score: number;
  isAnomaly: boolean;
  direction: 'spike' | 'dip';
}
