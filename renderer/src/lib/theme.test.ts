import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, cssVariables, resolveTheme } from './theme';

const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

describe('theme', () => {
  describe('resolveTheme()', () => {
    it('follows the system unless the setting forces a theme', () => {
      expect(resolveTheme('system', true)).toBe('dark');
      expect(resolveTheme('system', false)).toBe('light');
      expect(resolveTheme(undefined, true)).toBe('dark');
      expect(resolveTheme('light', true)).toBe('light');
      expect(resolveTheme('dark', false)).toBe('dark');
    });
  });
  describe('contrastRatio()', () => {
    it('matches the WCAG reference values', () => {
      expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
      expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    });
  });
  describe.each([":root[data-theme='light']", ":root[data-theme='dark']"])(
    'palette %s in styles.css',
    (selector) => {
      const v = cssVariables(css, selector);
      it('declares every colour', () => {
        for (const name of [
          '--bg',
          '--surface',
          '--fg',
          '--muted',
          '--accent',
          '--accent-fg',
          '--danger',
          '--good',
          '--warn',
          '--control-border',
        ])
          expect(v[name], name).toMatch(/^#[0-9a-f]{6}$/i);
      });
      it.each([
        ['--fg', '--bg'],
        ['--fg', '--surface'],
        ['--muted', '--bg'],
        ['--muted', '--surface'],
        ['--accent', '--bg'],
        ['--accent', '--surface'],
        ['--accent-fg', '--accent'],
        ['--danger', '--bg'],
        ['--danger', '--surface'],
        ['--good', '--bg'],
        ['--good', '--surface'],
        ['--warn', '--bg'],
        ['--warn', '--surface'],
      ])('text %s on %s passes WCAG AA (4.5:1)', (fg, bg) => {
        expect(contrastRatio(v[fg]!, v[bg]!)).toBeGreaterThanOrEqual(4.5);
      });
      it.each([
        ['--control-border', '--bg'],
        ['--control-border', '--surface'],
        ['--accent', '--bg'],
        ['--fill', '--track'],
      ])('control edge %s on %s passes 3:1', (fg, bg) => {
        expect(contrastRatio(v[fg]!, v[bg]!)).toBeGreaterThanOrEqual(3);
      });
    },
  );
});
