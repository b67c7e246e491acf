import { describe, expect, it } from 'vitest';
import { closest, didYouMean, levenshtein } from '../../src/model/did-you-mean.ts';

describe('levenshtein', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('tabel', 'table')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('closest', () => {
  const flags = [
    'use_influxdb_for_api_queries',
    'use_influxdb_for_data_ingestion',
    'influxdb_traffic_percentage',
  ];

  it('suggests the nearest name for a typo', () => {
    expect(closest('use_influxdb_for_api_querys', flags)).toBe('use_influxdb_for_api_queries');
    expect(closest('prodution', ['development', 'production'])).toBe('production');
  });

  it('suggests the full name for a truncation', () => {
    expect(closest('percent', ['percentage'])).toBe('percentage');
  });

  it('suggests nothing for unrelated names', () => {
    expect(closest('colour', ['percentage'])).toBeUndefined();
    expect(closest('dev', ['production'])).toBeUndefined();
    expect(didYouMean('zzz', flags)).toBe('');
    expect(closest('h', ['f', 'g'])).toBeUndefined();
  });

  it('formats a sentence to append', () => {
    expect(didYouMean('tabel', ['table', 'database'])).toBe(' Did you mean `table`?');
  });
});
