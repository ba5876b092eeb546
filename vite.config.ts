import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';
import { contentPlugin } from './src/lib/content/vite-plugin.ts';

export default defineConfig({
	plugins: [contentPlugin(), sveltekit()],
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'server',
					environment: 'node',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					exclude: ['src/**/*.svelte.test.ts'],
					// A throwaway PostgreSQL cluster for the run (reused when npm test started one).
					globalSetup: ['src/lib/server/testing/postgres.global.ts']
				}
			},
			{
				extends: './vite.config.ts',
				plugins: [svelteTesting()],
				// svelteTesting() resets resolve.conditions; without these, @xstate and svelte load twice.
				resolve: { conditions: ['module', 'browser', 'development|production'] },
				test: {
					name: 'client',
					environment: 'jsdom',
					include: ['src/**/*.svelte.test.ts']
				}
			}
		]
	}
});
