import { describe, expect, it } from 'vitest';
import { atLeast, bumpBetween, durationSeconds, nextVersion, requiredBump } from '../../platform/check/versionRules.js';

describe('version rules', () => {
  it.each([
    ['1.2.3', '2.0.0', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.2.3', 'none'],
    ['1.2.3', '1.2.2', 'decreased'],
    ['2.0.0', '1.9.9', 'decreased'],
    ['0.3.1', '0.4.0', 'major'],
    ['0.3.1', '0.3.2', 'patch'],
    ['2.0.0-rc.1', '2.0.0', 'patch'],
    ['2.0.0', '2.0.0-rc.1', 'decreased'],
    ['1.0.0-alpha', '1.0.0-alpha.1', 'patch'],
    ['1.0.0-beta.11', '1.0.0-beta.2', 'decreased'],
    ['1.9.0', '2.0.0-rc.1', 'major'],
  ])('%s → %s is %s', (before, after, bump) => {
    expect(bumpBetween(before, after)).toBe(bump);
  });

  it('does not read what is not a version', () => {
    expect(bumpBetween('1.0', '2.0.0')).toBeUndefined();
  });

  it('maps changes to bumps, and bumps to the next version', () => {
    expect(requiredBump('breaking')).toBe('major');
    expect(requiredBump('schema')).toBe('minor');
    expect(requiredBump('metadata')).toBe('patch');
    expect(requiredBump('none')).toBe('none');
    expect(atLeast('major', 'minor')).toBe(true);
    expect(atLeast('patch', 'minor')).toBe(false);
    expect(nextVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(nextVersion('0.4.2', 'major')).toBe('0.5.0');
    expect(nextVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(nextVersion('1.4.2', 'patch')).toBe('1.4.3');
  });

  it.each([
    ['PT24H', 86_400],
    ['P1D', 86_400],
    ['PT6H30M', 23_400],
    ['P1W', 604_800],
    ['PT0.5S', 0.5],
    ['P', undefined],
    ['PT', undefined],
    ['1D', undefined],
  ])('%s lasts %s seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });
});
