/**
 * Each type's projected form, `<type>/Projected.svelte`, bundled with the pages that show them
 * (the presenter and the host's page). They are small (about 1.6 kB gzipped together), and
 * loading the open question's on demand cost the presenter one more round of script requests
 * before it could hydrate: Lighthouse's TBT on the presenter went from a median of 196 ms to 157
 * over nine alternating runs with them bundled (docs/BENCHMARKS.md, 2026-12-02).
 * The presenter's page imports this and never forms.ts, so no answer form's style reaches it.
 */
import type { Component } from 'svelte';
import { componentPath, type ProjectedProps } from './components';
import type { PublicQuestion } from './registry';

const projections = import.meta.glob<{ default: Component<ProjectedProps> }>(
	'./*/Projected.svelte',
	{ eager: true }
);

/** Whether the question's type shows anything on the projector beyond its instruction. */
export const projects = (question: PublicQuestion) =>
	componentPath(question, 'Projected') in projections;

/** The projected form of the question's type; undefined for a type without one. */
export const projectionOf = (question: PublicQuestion): Component<ProjectedProps> | undefined =>
	projections[componentPath(question, 'Projected')]?.default;
