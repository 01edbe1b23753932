import { defineConfig } from 'vitest/config';

// One runner, three tiers (CONTRIBUTING.md §5): unit (pure logic), integration (app.inject on a fresh
// database per file: PGlite by default, PostgreSQL when DATABASE_URL is set), e2e (real process,
// real Chromium).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'sim/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup: ['test/global-setup.ts'],
          include: ['src/**/*.int.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
