import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventChecker } from '../../catalog/ingest/checkEvent.js';
import { IngestBatch } from '../../catalog/ingest/IngestBatch.js';
import type { RunRow, RunState } from '../../catalog/ingest/LineageRows.js';
import { mergeFacets, mergeRunRows, RUN_STATE_RANK } from '../../catalog/ingest/mergeRows.js';
import { InvalidContentError } from '../../catalog/errors.js';
import { canonicalJson } from '../../catalog/util/canonicalJson.js';
import { inspectJson, jsonTextUnstorable } from '../../catalog/util/inspectJson.js';
import { InputError } from '../../platform/errors.js';
import { generateEvents, runEvent, uuidFor } from '../support/lineageEvents.js';

const checker = EventChecker.create();

describe('canonicalJson', () => {
  it('ignores key order and spacing, keeps array order', () => {
    expect(canonicalJson(JSON.parse('{ "b": [2, 1], "a": {"y": null, "x": "é"} }'))).toBe('{"a":{"x":"é","y":null},"b":[2,1]}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('inspectJson', () => {
  it.each([
    [{ a: 'fine', b: ['ok', { c: 'emoji 🎉' }] }, []],
    [{ a: ['x', 'nul\u0000', 'nul\u0000'] }, [['unstorable-text', '/a/1']]],
    [{ 'lone\ud800': 1 }, [['unstorable-text', '/lone\ud800']]],
    [{ a: { b: 'tail \udc00' } }, [['unstorable-text', '/a/b']]],
    [JSON.parse('{"x": {"__proto__": {"p": 1}}}'), [['unsafe-key', '/x/__proto__']]],
    [{ a: { b: { c: { d: 1 } } } }, [['too-deep', '/a/b/c']]],
  ])('%j', (value, expected) => {
    expect(inspectJson(value, 3).map((f) => [f.kind, f.pointer])).toEqual(expected);
    expect(inspectJson(value, 3, { text: false }).map((f) => f.kind)).toEqual(expected.map(([kind]) => kind).filter((kind) => kind !== 'unstorable-text'));
  });

  it('finds unstorable text in serialized JSON exactly when the walk finds it in the value', () => {
    // Strings built from the characters that matter: backslashes next to "u0000" and "ud800", NUL, both surrogate halves.
    const piece = fc.constantFrom('a', '\\', 'u', '0000', 'd800', 'dc00', '\u0000', '\ud800', '\udc00', '\ud83c\udf89', '"', 'é');
    const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxKeys: 3 }), (value) => {
        const walked = inspectJson(value, 64).some((f) => f.kind === 'unstorable-text');
        expect(jsonTextUnstorable(JSON.stringify(value))).toBe(walked);
      }),
      { numRuns: 2000 },
    );
    expect(jsonTextUnstorable(JSON.stringify({ a: '\\u0000 is six characters' }))).toBe(false);
    expect(jsonTextUnstorable(JSON.stringify({ a: '\\\u0000' }))).toBe(true);
  });
});

describe('EventChecker', () => {
  it('accepts every generated benchmark event (they conform to the spec)', () => {
    for (const event of generateEvents(60, { jobs: 7 })) expect(() => checker.check(event)).not.toThrow();
    for (const type of ['RUNNING', 'FAIL', 'ABORT', 'OTHER'] as const) expect(() => checker.check(runEvent({ runId: uuidFor(type), eventType: type, parentRunId: uuidFor('parent') }))).not.toThrow();
  });

  it.each([
    ['an array', [], InputError, undefined],
    ['null', null, InputError, undefined],
    ['a missing runId', { ...runEvent({ runId: uuidFor('x') }), run: {} }, InvalidContentError, '/run'],
    ['a run id that is not a UUID', runEvent({ runId: 'run-1' }), InvalidContentError, '/run/runId'],
    ['a facet that breaks its own schema', runEvent({ runId: uuidFor('x'), runFacets: { nominalTime: { _producer: 'https://x', _schemaURL: 'https://x' } } }), InvalidContentError, '/run/facets/nominalTime'],
    ['a "__proto__" key', JSON.parse('{"__proto__": {"polluted": true}}'), InvalidContentError, '/__proto__'],
    ['a NUL character', runEvent({ runId: uuidFor('x'), job: { namespace: 'mesh', name: 'nul\u0000' } }), InvalidContentError, '/job/name'],
    ['a leap second', runEvent({ runId: uuidFor('x'), eventTime: '2016-12-31T23:59:60Z' }), InvalidContentError, '/eventTime'],
  ])('refuses %s, saying where', (_name, value, type, pointer) => {
    const error = (() => {
      try {
        checker.check(value);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(type);
    if (pointer !== undefined) expect((error as InvalidContentError).violations.map((v) => v.pointer)).toContain(pointer);
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const event = runEvent({ runId: uuidFor('deep'), runFacets: { custom: { _producer: 'https://x', _schemaURL: 'https://x', deep } } });
    expect(() => checker.check(event)).toThrow(/nesting deeper than 64 levels/);
  });

  it('derives keys, states and times from an event', () => {
    const event = checker.check(runEvent({ runId: uuidFor('a').toUpperCase(), eventType: 'FAIL', eventTime: '2026-11-26T12:00:00+02:00', parentRunId: uuidFor('p') }));
    expect(event.kind).toBe('run');
    expect(event.eventTime).toBe('2026-11-26T10:00:00.000Z');
    expect(event.jobKey).toBe('job:mesh:sales.orders');
    expect(event.run).toMatchObject({
      id: uuidFor('a'),
      state: 'FAIL',
      rank: 3,
      startedAt: null,
      endedAt: '2026-11-26T10:00:00.000Z',
      errorMessage: 'rejected records exceed the completeness SLA',
      parentRunId: uuidFor('p'),
      nominalStart: '2026-11-26T00:00:00.000Z',
    });
    expect(event.nodes.map((n) => n.key).sort()).toEqual([
      'dataset:postgres://crm:5432:crm.public.orders',
      'dataset:postgres://warehouse:5432:gold.sales_orders',
      'field:postgres://crm:5432:crm.public.orders:field_1',
      'field:postgres://crm:5432:crm.public.orders:field_2',
      'field:postgres://crm:5432:crm.public.orders:field_3',
      'field:postgres://crm:5432:crm.public.orders:id',
      'field:postgres://warehouse:5432:gold.sales_orders:field_1',
      'field:postgres://warehouse:5432:gold.sales_orders:field_2',
      'field:postgres://warehouse:5432:gold.sales_orders:field_3',
      'field:postgres://warehouse:5432:gold.sales_orders:id',
      'job:mesh:sales.orders',
    ]);
    expect(event.run!.stamp).toBe(`2026-11-26T10:00:00.000Z|${event.hash}`);
  });

  it('normalizes DatasetEvents and JobEvents', () => {
    const base = { eventTime: '2026-11-26T10:00:00Z', producer: 'https://x/y' };
    const dataset = checker.check({ ...base, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent', dataset: { namespace: 'pg://a', name: 't' } });
    expect([dataset.kind, dataset.datasetKey, dataset.jobKey, dataset.run]).toEqual(['dataset', 'dataset:pg://a:t', null, undefined]);
    const job = checker.check({ ...base, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent', job: { namespace: 'n', name: 'j' }, inputs: [{ namespace: 'pg://a', name: 't' }] });
    expect([job.kind, job.jobKey, job.edges.map((e) => `${e.source} ${e.kind} ${e.target}`)]).toEqual(['job', 'job:n:j', ['dataset:pg://a:t reads job:n:j']]);
  });
});

describe('merging', () => {
  const states = Object.keys(RUN_STATE_RANK) as RunState[];
  const runRow = fc
    .record({
      state: fc.constantFrom(...states),
      minute: fc.integer({ min: 0, max: 59 }),
      hash: fc.constantFrom('a', 'b', 'c'),
      facetKeys: fc.subarray(['x', 'y', 'z']),
      parent: fc.option(fc.constantFrom('1', '2'), { nil: null }),
    })
    .map(({ state, minute, hash, facetKeys, parent }): RunRow => {
      const time = `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;
      // A stamp names one event (its time and hash), so two rows with one stamp come from the same event and agree
      // on its state: the hash stands for the whole event here, state included.
      const stamp = `${time}|${hash}-${state}`;
      const rank = RUN_STATE_RANK[state];
      return {
        id: 'r',
        job: 'job:a:b',
        state,
        rank,
        stamp,
        stateTime: time,
        startedAt: state === 'START' ? time : null,
        endedAt: rank === 3 ? time : null,
        errorMessage: state === 'FAIL' ? `error ${stamp}` : null,
        firstEventAt: time,
        lastEventAt: time,
        parentRunId: parent,
        nominalStart: null,
        nominalEnd: null,
        facets: Object.fromEntries(facetKeys.map((k) => [k, stamp])),
        stamps: Object.fromEntries(facetKeys.map((k) => [k, stamp])),
      };
    });

  it('merges runs commutatively, associatively and idempotently (arrival order and repeats do not matter)', () => {
    fc.assert(
      fc.property(runRow, runRow, runRow, (a, b, c) => {
        expect(mergeRunRows(a, b)).toEqual(mergeRunRows(b, a));
        expect(mergeRunRows(mergeRunRows(a, b), c)).toEqual(mergeRunRows(a, mergeRunRows(b, c)));
        expect(mergeRunRows(a, a)).toEqual(a);
      }),
    );
  });

  it('keeps, per facet key, the value with the greatest stamp', () => {
    expect(mergeFacets({ a: 1, b: 1 }, { a: '2', b: '1' }, { b: 2, c: 2 }, { b: '2', c: '2' })).toEqual({ facets: { a: 1, b: 2, c: 2 }, stamps: { a: '2', b: '2', c: '2' } });
    expect(mergeFacets({ toString: 1 }, { toString: '3' }, { toString: 2 }, { toString: '2' }).facets).toEqual({ toString: 1 });
  });

  it('folds a batch into one row per node, edge and run, and counts each event once', () => {
    const runId = uuidFor('fold');
    const start = checker.check(runEvent({ runId, eventType: 'START', eventTime: '2026-11-26T10:00:00Z' }));
    const complete = checker.check(runEvent({ runId, eventType: 'COMPLETE', eventTime: '2026-11-26T10:05:00Z' }));
    const batch = new IngestBatch();
    batch.add({ principal: { kind: 'direct', name: 't' }, target: 'batch', events: [complete, start, complete] });
    expect(batch.hashes()).toEqual([complete.hash, start.hash]);
    const stored = new Set(batch.hashes());
    expect(batch.copyRows(stored).split('\n').filter(Boolean)).toHaveLength(2);
    const document = JSON.parse(batch.derivedJson(stored));
    expect(document.runs).toHaveLength(1);
    expect(document.runs[0]).toMatchObject({ state: 'COMPLETE', startedAt: '2026-11-26T10:00:00.000Z', endedAt: '2026-11-26T10:05:00.000Z' });
    expect(new Set(document.nodes.map((n: { key: string }) => n.key)).size).toBe(document.nodes.length);
    expect(document.requests).toEqual([{ team: null, token: null, principal: 'direct:t', target: 'batch', events: 3, stored: 2 }]);
    expect(batch.outcomes(new Set([complete.hash]))).toEqual([['stored', 'duplicate', 'duplicate']]);
  });

  it('derives rows from the events stored now only: a duplicate derived its rows when it was stored', () => {
    const runId = uuidFor('dup-derive');
    const start = checker.check(runEvent({ runId, eventType: 'START', eventTime: '2026-11-26T10:00:00Z' }));
    const complete = checker.check(runEvent({ runId, eventType: 'COMPLETE', eventTime: '2026-11-26T10:05:00Z' }));
    const batch = new IngestBatch();
    batch.add({ principal: { kind: 'direct', name: 't' }, target: 'batch', events: [start, complete] });
    const onlyComplete = new Set([complete.hash]);
    expect(batch.copyRows(onlyComplete)).toContain(`\\\\x${complete.hash}\t`);
    expect(batch.copyRows(onlyComplete)).not.toContain(start.hash);
    const document = JSON.parse(batch.derivedJson(onlyComplete));
    expect(document.runs).toEqual([expect.objectContaining({ state: 'COMPLETE', startedAt: null, event: complete.hash })]);
    expect(JSON.parse(batch.derivedJson(new Set()))).toMatchObject({ nodes: [], bare: [], edges: [], runs: [], requests: [] });
  });

  it('writes COPY text rows that escape what COPY would read as a separator, and \\N for nulls', () => {
    const event = checker.check({ ...runEvent({ runId: uuidFor('copy-escape'), job: { namespace: 'mesh', name: 'tab\there\\and\nline' } }) });
    const batch = new IngestBatch();
    batch.add({ principal: { kind: 'direct', name: 't' }, target: 'batch', events: [event] });
    const row = batch.copyRows(new Set([event.hash]));
    expect(row.endsWith('\n')).toBe(true);
    const fields = row.slice(0, -1).split('\t');
    expect(fields).toHaveLength(10);
    const unescape = (f: string) => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c));
    expect(fields.map(unescape)).toEqual([`\\x${event.hash}`, 'run', 'START', event.eventTime, event.runId, event.jobKey, null, event.producer, event.text, null]);
  });

  it('sends facets that stand whole in one stored event as its hash and their path into it, and merged ones inline', () => {
    const runId = uuidFor('paths');
    const dataset = { namespace: 'pg://paths', name: 'd' };
    const first = checker.check(runEvent({ runId, eventType: 'START', eventTime: '2026-11-26T10:00:00Z', outputs: [dataset] }));
    // Later, the dataset is an input (no columnLineage): its merged facets come from both events.
    const second = checker.check(runEvent({ runId, eventType: 'COMPLETE', eventTime: '2026-11-26T10:05:00Z', inputs: [dataset], outputs: [] }));
    const batch = new IngestBatch();
    batch.add({ principal: { kind: 'direct', name: 't' }, target: 'batch', events: [first, second] });
    const document = JSON.parse(batch.derivedJson(new Set(batch.hashes())));
    const pointed = (event: string, path: string[]) => path.reduce((value, step) => value[step], JSON.parse(event === first.hash ? first.text : second.text));
    const job = document.nodes.find((n: { key: string }) => n.key === 'job:mesh:sales.orders');
    expect([job.facets, job.event, job.path]).toEqual([null, second.hash, ['job', 'facets']]);
    expect(pointed(job.event, job.path)).toEqual(JSON.parse(second.text).job.facets);
    const merged = document.nodes.find((n: { key: string }) => n.key === 'dataset:pg://paths:d');
    expect([Object.keys(merged.facets).sort(), merged.path]).toEqual([['columnLineage', 'dataSource', 'schema'], null]);
    expect(merged.facets.dataSource).toEqual(JSON.parse(second.text).inputs[0].facets.dataSource);
    expect([document.runs[0].event, document.runs[0].path]).toEqual([second.hash, ['run', 'facets']]);
  });

});
