import { describe, expect, it } from 'vitest';
import { forecast, forecastWithAnomalies, yearlyComponent, YEAR_LAG } from '../src/index.js';
import { isWeekend, mulberry32, poisson, toSeries, usageValues } from './helpers.js';

/**
 * Daily counts with a yearly cycle (±30 %, peak in mid-year), weekends at 60 %, a one-day dip to 40 %
 * every 364 days (a "holiday" that keeps its weekday), growth `growth` per year, Poisson noise.
 */
function yearlyCounts({ days = 900, level = 2000, growth = 1, seed = 1 } = {}): { values: number[]; mean: number[] } {
  const rng = mulberry32(seed);
  const mean = Array.from({ length: days }, (_, t) => {
    const season = 1 + 0.3 * Math.sin((2 * Math.PI * (t - 91)) / 365.25);
    const holiday = t % 364 === 200 ? 0.4 : 1;
    return level * season * (isWeekend(t) ? 0.6 : 1) * holiday * growth ** (t / 365.25);
  });
  return { values: mean.map((m) => poisson(rng, m)), mean };
}

const mae = (a: readonly number[], f: readonly number[]): number => a.reduce((s, v, i) => s + Math.abs(v - f[i]), 0) / a.length;

describe('yearly component', () => {
  it('is used with a year of history and beats the weekly ensemble on a yearly cycle, holiday included', () => {
    const { values } = yearlyCounts({ seed: 2 });
    let withY = 0;
    let without = 0;
    for (const end of [380, 450, 520, 560]) {
      const train = toSeries(values.slice(end - 365, end));
      const actual = values.slice(end, end + 90);
      const f = forecast(train, { horizon: 90 });
      expect(f.explanation!.yearly_used).toBe(true);
      expect(f.params.yearly).toMatchObject({ weight: 0.5, lag: YEAR_LAG });
      expect(f.notes.some((n) => n.startsWith('yearly component used'))).toBe(true);
      withY += mae(
        actual,
        f.points.map((p) => p.predicted),
      );
      without += mae(
        actual,
        forecast(train, { horizon: 90, yearly: false }).points.map((p) => p.predicted),
      );
    }
    expect(withY).toBeLessThan(0.8 * without);
  });

  it('keeps last year’s holiday dip on high counts and smooths low counts (detail small)', () => {
    const high = yearlyCounts({ seed: 3 }).values.slice(0, 400);
    const c = yearlyComponent(high, 200)!;
    // Pure Poisson noise at ~2000 a day and one holiday: about half the day-to-day detail is signal.
    expect(c.detail).toBeGreaterThan(0.4);
    // step s forecasts day 400 + s − 1, i.e. last year's day 36 + s − 1; the dip was on day 200 (= 364 + 200 − 364)
    const dipStep = 564 - 400; // day 564 = 200 + 364
    expect(c.values[dipStep]).toBeLessThan(0.75 * c.values[dipStep - 7]);
    expect(c.values[dipStep - 7]).toBeGreaterThan(0.9 * c.values[dipStep - 14]);
    const low = yearlyCounts({ seed: 3, level: 3 }).values.slice(0, 400);
    expect(yearlyComponent(low, 30)!.detail).toBeLessThan(0.3);
  });

  it('follows growth: a series that doubled over the year is not pulled back to last year’s level', () => {
    const { values, mean } = yearlyCounts({ seed: 4, growth: 2, days: 500 });
    const train = values.slice(0, 400);
    const f = forecast(toSeries(train), { horizon: 60 });
    expect(f.params.yearly?.growth).toBeGreaterThan(1.5);
    const pred = f.points.map((p) => p.predicted);
    const truth = mean.slice(400, 460);
    const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(pred) / sum(truth) - 1)).toBeLessThan(0.2);
    // without the growth factor the yearly half would sit at last year's level: a much larger error
    const flat = yearlyComponent(train, 60)!;
    expect(flat.growth).toBe(1);
    const noGrowth = pred.map((p, i) => p + 0.5 * (flat.values[i] - flat.values[i] * f.params.yearly!.growth));
    expect(Math.abs(sum(noGrowth) / sum(truth) - 1)).toBeGreaterThan(0.3);
  });

  it('is not used below a year of history, nor by the single models, nor when turned off; the reason says why', () => {
    const { values } = yearlyCounts({ seed: 5 });
    const short = forecast(toSeries(values.slice(0, 300)), { horizon: 30 });
    expect(short.explanation!.yearly_used).toBe(false);
    expect(short.explanation!.yearly_reason).toMatch(/less than a year of history \(300 < 364 days\)/);
    expect(short.params.yearly).toBeUndefined();
    const theta = forecast(toSeries(values.slice(0, 400)), { horizon: 30, model: 'theta' });
    expect(theta.explanation!.yearly_used).toBe(false);
    expect(theta.explanation!.yearly_reason).toMatch(/not part of the theta model/);
    expect(forecast(toSeries(values.slice(0, 400)), { horizon: 30, yearly: false }).explanation!.yearly_reason).toBe('turned off');
    expect(yearlyComponent(values.slice(0, 363), 10)).toBeNull();
  });

  it('is chosen by backtest when origins with a year of training exist', () => {
    const { values } = yearlyCounts({ seed: 6 });
    const f = forecast(toSeries(values.slice(0, 800)), { horizon: 30 });
    expect(f.explanation!.yearly_reason).toMatch(/^backtest on 12 origins with a year of training: MAE \S+ with, \S+ without$/);
    expect(f.explanation!.yearly_used).toBe(true);
    // A series without a yearly cycle: last year's profile is only noise, and the backtest says so.
    const flat = usageValues({ days: 800, seed: 6, growthPerQuarter: 0, noise: 0.03 }).values;
    const g = forecast(toSeries(flat), { horizon: 30 });
    const [withMae, withoutMae] = /MAE (\S+) with, (\S+) without/.exec(g.explanation!.yearly_reason)!.slice(1).map(Number);
    expect(g.explanation!.yearly_used).toBe(withMae <= withoutMae);
  });
});

describe('fitValues and the explanation', () => {
  it('fits on fitValues but scores (and builds intervals from) the observed series', () => {
    const { values } = usageValues({ days: 150, seed: 9 });
    const observed = values.map((v, t) => (t === 120 || t === 127 ? Math.round(v * 0.1) : v));
    const same = forecast(toSeries(values), { horizon: 30, fitValues: values });
    expect(same).toEqual(forecast(toSeries(values), { horizon: 30 }));
    const split = forecast(toSeries(observed), { horizon: 30, fitValues: values });
    const cleanOnly = forecast(toSeries(values), { horizon: 30 });
    expect(split.points.map((p) => p.predicted)).toEqual(cleanOnly.points.map((p) => p.predicted));
    // the outages fall inside the backtest's actuals: the observed errors are larger, so are the intervals
    expect(split.mape!).toBeGreaterThan(cleanOnly.mape!);
    const width = (r: typeof split): number => r.points.reduce((a, p) => a + p.upper95 - p.lower95, 0);
    expect(width(split)).toBeGreaterThan(width(cleanOnly));
    expect(() => forecast(toSeries(values), { horizon: 7, fitValues: values.slice(1) })).toThrow(/fitValues must hold 150 finite numbers/);
    expect(() => forecast(toSeries(values), { horizon: 7, fitValues: values.map((v, t) => (t === 3 ? Number.NaN : v)) })).toThrow(/fitValues/);
  });

  it('the tab pipeline cleans anomalies for the fit only', () => {
    const { values } = usageValues({ days: 150, seed: 9 });
    const observed = values.map((v, t) => (t === 120 ? Math.round(v * 0.1) : v));
    const r = forecastWithAnomalies(toSeries(observed), { horizon: 30 });
    expect(r.cleanedDates).toContain(toSeries(observed)[120].date);
    const cleaned = observed.map((v, t) => (r.flags[t].isAnomaly ? r.flags[t].expected : v));
    expect(r.forecast).toEqual(forecast(toSeries(observed), { horizon: 30, fitValues: cleaned }));
  });

  it('explains the method, trend, weekly strength and backtest MASE of model and baseline', () => {
    const { values } = usageValues({ days: 180, seed: 1 });
    const e = forecast(toSeries(values), { horizon: 30 }).explanation!;
    expect(e.method).toBe('ensemble of damped Holt-Winters (ETS) and Theta, weekly seasonality');
    expect(e.weekly_strength).toBeGreaterThan(0.9);
    // the generator grows by 40 % of 10 000 per quarter on weekdays: ≈ 44 a day, less with weekends averaged in
    expect(e.trend_per_day).toBeGreaterThan(10);
    expect(e.trend_per_day).toBeLessThan(60);
    expect(e.backtest_mase!).toBeLessThan(e.baseline_mase!);
    // MASE by hand for the baseline: same origins, scale = in-sample MAE of the lag-7 naive
    const rng = mulberry32(7);
    const noise = Array.from({ length: 120 }, () => 100 + Math.round(10 * (rng() - 0.5)));
    const n = forecast(toSeries(noise), { horizon: 14 });
    expect(n.explanation!.weekly_strength).toBeLessThan(0.3);
    let scale = 0;
    for (let t = 7; t < 120; t++) scale += Math.abs(noise[t] - noise[t - 7]);
    scale /= 113;
    const origins = n.backtest_origins;
    let err = 0;
    for (let k = 0; k < origins; k++) {
      const o = 120 - 14 - 7 * (origins - 1 - k);
      for (let s = 0; s < 14; s++) err += Math.abs(noise[o + s] - noise[o - 7 + (s % 7)]);
    }
    expect(n.explanation!.baseline_mase).toBeCloseTo(err / (origins * 14) / scale, 10);
  });
});

describe('yearly component edge cases', () => {
  it('handles weekends without traffic (index 0): weekends forecast 0, weekdays follow last year', () => {
    const { values } = yearlyCounts({ seed: 8 });
    const b2b = values.map((v, t) => (isWeekend(t) ? 0 : v));
    const c = yearlyComponent(b2b.slice(0, 400), 60)!;
    expect(c).not.toBeNull();
    c.values.forEach((v, i) => (isWeekend(400 + i) ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
    const f = forecast(toSeries(b2b.slice(0, 400)), { horizon: 60 });
    expect(f.explanation!.yearly_used).toBe(true);
    f.points.forEach((p, i) => isWeekend(400 + i) && expect(p.predicted).toBeLessThan(0.05 * f.points[0].predicted + 1));
  });

  it('returns null for negative or all-zero histories, and forecast still works there', () => {
    expect(yearlyComponent(new Array(400).fill(0), 10)).toBeNull();
    expect(yearlyComponent([-1, ...new Array(399).fill(5)], 10)).toBeNull();
    const zeros = forecast(toSeries(new Array(400).fill(0)), { horizon: 10 });
    expect(zeros.points.map((p) => p.predicted)).toEqual(new Array(10).fill(0));
    expect(zeros.explanation!.yearly_used).toBe(false);
    expect(zeros.explanation!.yearly_reason).toMatch(/cannot be used as a profile/);
  });
});

describe('yearly component with short horizons', () => {
  it('gives exactly `horizon` points and aligned backtest errors when the horizon is under 28 days', () => {
    const { values } = yearlyCounts({ seed: 11 });
    for (const n of [400, 800]) {
      const f = forecast(toSeries(values.slice(0, n)), { horizon: 7 });
      expect(f.points).toHaveLength(7);
      expect(f.explanation!.yearly_reason).not.toMatch(/less than a year/);
      for (const p of f.points) expect(Number.isFinite(p.predicted) && Number.isFinite(p.upper95)).toBe(true);
      // one week ahead on a smooth yearly cycle with Poisson noise at ~2000: a few percent
      expect(f.mape!).toBeLessThan(10);
      const c = yearlyComponent(values.slice(0, n), 7, 7, new Array(28).fill(1000))!;
      expect(c.values).toHaveLength(7);
    }
  });
});

describe('yearly component and anomaly cleaning', () => {
  it('keeps a recurring holiday dip but not a one-off outage of last year (tab pipeline)', () => {
    const { values } = yearlyCounts({ seed: 12, days: 1000 }); // holiday dips on days 200, 564, 928
    const observed = values.map((v, t) => (t === 470 ? Math.round(v * 0.1) : v)); // one-off outage
    const r = forecastWithAnomalies(toSeries(observed.slice(0, 800)), { horizon: 200 });
    const dates = toSeries(observed).map((p) => p.date);
    expect(r.cleanedDates).toEqual(expect.arrayContaining([dates[200], dates[470], dates[564]]));
    expect(r.forecast.explanation!.yearly_used).toBe(true);
    const pred = r.forecast.points.map((p) => p.predicted);
    const around = (day: number): number => (pred[day - 800 - 7] + pred[day - 800 + 7]) / 2;
    expect(pred[928 - 800]).toBeLessThan(0.85 * around(928)); // 364 days after the 564 holiday, which recurred from 200
    expect(pred[834 - 800]).toBeGreaterThan(0.9 * around(834)); // 364 days after the outage: not repeated
  });
});

describe('yearly component on a series that started during the year', () => {
  it('is not used when last year’s level is more than 3× away (zeros before the start), so the level is not halved', () => {
    const { values } = usageValues({ days: 400, seed: 13, growthPerQuarter: 0 });
    const launched = values.map((v, t) => (t < 150 ? 0 : v)); // zero-filled before day 150
    const f = forecast(toSeries(launched), { horizon: 60 });
    expect(f.explanation!.yearly_used).toBe(false);
    expect(f.explanation!.yearly_reason).toMatch(/more than 3× away/);
    const level = launched.slice(-28).reduce((a, b) => a + b, 0) / 28;
    const predicted = f.points.slice(0, 28).reduce((a, p) => a + p.predicted, 0) / 28;
    expect(Math.abs(predicted / level - 1)).toBeLessThan(0.1);
    // with a reference the component refuses; without one (no level to compare) it is still computed
    expect(yearlyComponent(launched, 60, 7, new Array(28).fill(level))).toBeNull();
  });
});
