import { describe, expect, it } from 'vitest';
import { seasonalNaive } from '../src/index.js';

describe('seasonalNaive', () => {
  it('repeats the same weekday of the last observed week exactly', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 10, 20, 30, 40, 50, 60, 70, 80];
    // last week = y[8..14] = 20..80, positions continue from there
    expect(seasonalNaive(y, 9)).toEqual([20, 30, 40, 50, 60, 70, 80, 20, 30]);
  });

  it('supports other periods and returns null when there is less than one period', () => {
    expect(seasonalNaive([1, 2, 3, 4], 3, 2)).toEqual([3, 4, 3]);
    expect(seasonalNaive([1, 2, 3], 2)).toBeNull();
  });
});
