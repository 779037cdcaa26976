import { describe, expect, it } from 'vitest';
import { RetriesExhausted, withRetries } from '../../platform/pipeline/withRetries.js';
import { isTransientError } from '../../platform/db/transientErrors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each([
    ['serialization failure', withCode('40001'), true],
    ['deadlock', withCode('40P01'), true],
    ['lock not available', withCode('55P03'), true],
    ['admin shutdown (pg_terminate_backend)', withCode('57P01'), true],
    ['cannot connect now', withCode('57P03'), true],
    ['too many connections', withCode('53300'), true],
    ['connection exception class', withCode('08006'), true],
    ['a socket reset', withCode('ECONNRESET'), true],
    ['pg losing the connection', new Error('Connection terminated unexpectedly'), true],
    ['wrapped in a cause', new Error('step failed', { cause: withCode('40001') }), true],
    ['syntax error', withCode('42601'), false],
    ['missing table', withCode('42P01'), false],
    ['bad data', withCode('22P02'), false],
    ['unique violation', withCode('23505'), false],
    ['division by zero', withCode('22012'), false],
    ['a plain error', new Error('boom'), false],
    ['not an error', 'text', false],
  ])('%s -> %s', (_name, error, transient) => {
    expect(isTransientError(error)).toBe(transient);
  });
});

describe('withRetries', () => {
  it('retries transient errors with doubling delays, capped, and reports each', async () => {
    const delays: number[] = [];
    const notes: [number, number][] = [];
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        if (++calls < 4) throw withCode('40001');
        return 'done';
      },
      { attempts: 5, backoffMs: 100, maxDelayMs: 250 },
      { sleep: async (ms) => void delays.push(ms), onRetry: (_e, attempt, delay) => void notes.push([attempt, delay]) },
    );
    expect(outcome).toEqual({ value: 'done', attempts: 4 });
    expect(delays).toEqual([100, 200, 250]);
    expect(notes).toEqual([[1, 100], [2, 200], [3, 250]]);
  });

  it('gives up at once on an error a retry cannot fix, and after the last attempt otherwise', async () => {
    const sleep = async () => {};
    const fatal = await withRetries(() => Promise.reject(withCode('42P01')), { attempts: 5, backoffMs: 1 }, { sleep }).catch((e: unknown) => e);
    expect(fatal).toBeInstanceOf(RetriesExhausted);
    expect(fatal).toMatchObject({ attempts: 1, cause: { code: '42P01' } });
    const exhausted = await withRetries(() => Promise.reject(withCode('40P01')), { attempts: 3, backoffMs: 1 }, { sleep }).catch((e: unknown) => e);
    expect(exhausted).toMatchObject({ attempts: 3, cause: { code: '40P01' } });
  });
});
