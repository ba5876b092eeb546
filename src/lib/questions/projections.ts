/**
 * Each type's projected form, `<type>/Projected.svelte`, loaded on first use (see components.ts).
 * The presenter's page imports this and never forms.ts, so no answer form's style reaches it.
 */
import type { Component } from 'svelte';
import { componentsByType, type ProjectedProps } from './components';

const projections = componentsByType(
	import.meta.glob<{ default: Component<ProjectedProps> }>('./*/Projected.svelte'),
	'Projected'
);

/** Whether the question's type shows anything on the projector beyond its instruction. */
export const projects = projections.has;

/** Loads the projected form of the question's type, if it has one. */
export const loadProjection = projections.load;

/** The projected form of the question's type, once loaded; undefined for a type without one. */
export const projectionOf = projections.current;
